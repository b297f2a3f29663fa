# Installs the build into a throw-away prefix and checks what the desktop and the package promise:
# the executable of the desktop file's Exec line, its icon (SVG and PNGs of the sizes their directories
# name), the AppStream metainfo, the manual pages and the copyright file. The desktop file and the
# metainfo are checked with desktop-file-validate and `appstreamcli validate --no-net` (both from
# packaging/debian-packages.txt; missing, the test fails).
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
  RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
set(app_id io.driftdeck.Driftdeck)
set(desktop ${PREFIX}/share/applications/${app_id}.desktop)
if(NOT EXISTS ${desktop})
  message(FATAL_ERROR "the desktop file is not installed")
endif()
file(STRINGS ${desktop} icon_line REGEX "^Icon=")
file(STRINGS ${desktop} exec_line REGEX "^Exec=")
string(REGEX REPLACE "^Icon=" "" icon "${icon_line}")
string(REGEX REPLACE "^Exec=([^ ]+).*" "\\1" exec "${exec_line}")
if(NOT EXISTS ${PREFIX}/share/icons/hicolor/scalable/apps/${icon}.svg)
  message(FATAL_ERROR "the desktop file names icon '${icon}', but hicolor/scalable/apps/${icon}.svg is not installed")
endif()
if(NOT EXISTS ${PREFIX}/bin/${exec})
  message(FATAL_ERROR "the desktop file runs '${exec}', which is not installed in bin/")
endif()
if(exec_line MATCHES "%[fFuU]")
  message(FATAL_ERROR "the desktop file passes files (${exec_line}) but driftdeck opens none")
endif()

# Each PNG is as large as its directory says: width and height from the PNG header (IHDR).
foreach(size 16 22 24 32 48 64 128 256)
  set(png ${PREFIX}/share/icons/hicolor/${size}x${size}/apps/${icon}.png)
  if(NOT EXISTS ${png})
    message(FATAL_ERROR "icon ${size}x${size}/apps/${icon}.png is not installed")
  endif()
  file(READ ${png} header LIMIT 24 HEX)
  string(SUBSTRING "${header}" 0 16 signature)
  string(SUBSTRING "${header}" 32 8 width_hex)
  string(SUBSTRING "${header}" 40 8 height_hex)
  math(EXPR width "0x${width_hex}")
  math(EXPR height "0x${height_hex}")
  if(NOT signature STREQUAL "89504e470d0a1a0a" OR NOT width EQUAL size OR NOT height EQUAL size)
    message(FATAL_ERROR "${png} is not a ${size}x${size} PNG (signature ${signature}, ${width}x${height})")
  endif()
endforeach()

foreach(file share/metainfo/${app_id}.metainfo.xml share/man/man1/driftdeck.1.gz
    share/man/man1/driftdeck-cli.1.gz share/man/man1/kubesim.1.gz share/doc/driftdeck/copyright
    share/doc/driftdeck/changelog.gz)
  if(NOT EXISTS ${PREFIX}/${file})
    message(FATAL_ERROR "${file} is not installed")
  endif()
endforeach()

find_program(DESKTOP_FILE_VALIDATE desktop-file-validate)
find_program(APPSTREAMCLI appstreamcli)
if(NOT DESKTOP_FILE_VALIDATE OR NOT APPSTREAMCLI)
  message(FATAL_ERROR "desktop-file-validate and appstreamcli check the installed files: install "
    "desktop-file-utils and appstream (packaging/install-deps.sh)")
endif()
execute_process(COMMAND ${DESKTOP_FILE_VALIDATE} ${desktop} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR out MATCHES "error|warning")
  message(FATAL_ERROR "desktop-file-validate: ${out}")
endif()
execute_process(COMMAND ${APPSTREAMCLI} validate --no-net ${PREFIX}/share/metainfo/${app_id}.metainfo.xml
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "appstreamcli validate: ${out}")
endif()
file(REMOVE_RECURSE ${PREFIX})
message(STATUS "install layout: ${exec}, icon ${icon} (SVG and 8 PNG sizes), metainfo, manual pages installed")
