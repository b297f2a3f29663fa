# driftdeck_core_library(NAME SOURCES ... [PUBLIC ...] [PRIVATE ...])
# One static library per core folder. Headers are included as "folder/file.h". Each library exports
# an include directory of its own holding only its public headers (every .h of the folder but the
# private *_p.h), so a library or ui/ that includes a header of a library it does not link, or a
# private header of another library, fails to build. The library's own sources also see its
# private headers.
function(driftdeck_core_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(driftdeck_${name} STATIC ${ARG_SOURCES})
  add_library(Driftdeck::${name} ALIAS driftdeck_${name})
  set(public_dir ${PROJECT_BINARY_DIR}/include/public/${name})
  set(private_dir ${PROJECT_BINARY_DIR}/include/private/${name})
  file(REMOVE_RECURSE ${public_dir} ${private_dir})
  file(MAKE_DIRECTORY ${public_dir}/${name} ${private_dir}/${name})
  file(GLOB headers CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.h)
  foreach(header ${headers})
    get_filename_component(file ${header} NAME)
    file(CREATE_LINK ${header} ${private_dir}/${name}/${file} SYMBOLIC)
    if(NOT file MATCHES "_p\\.h$")
      file(CREATE_LINK ${header} ${public_dir}/${name}/${file} SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(driftdeck_${name} PUBLIC ${public_dir} PRIVATE ${private_dir})
  target_link_libraries(driftdeck_${name} PUBLIC ${ARG_PUBLIC} PRIVATE driftdeck_warnings ${ARG_PRIVATE})
  set_target_properties(driftdeck_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# driftdeck_test(NAME SOURCES ... LINKS ... [GUI] [UNREGISTERED] [TIMEOUT s] [LABELS ...])
# One test executable per core target, registered with ctest under its own name (UNREGISTERED:
# built only, another folder registers it, e.g. tests/realkube for tests that need the real tools).
function(driftdeck_test name)
  cmake_parse_arguments(ARG "GUI;WHITEBOX;UNREGISTERED" "TIMEOUT" "SOURCES;LINKS;LABELS" ${ARGN})
  add_executable(test_${name} ${ARG_SOURCES})
  # A GUI test gets the main that creates a QApplication (a QWidget needs one).
  set(test_main driftdeck_test_main)
  if(ARG_GUI)
    set(test_main driftdeck_test_main_gui)
  endif()
  target_link_libraries(test_${name} PRIVATE ${test_main} driftdeck_warnings ${ARG_LINKS})
  # White-box tests of a library also reach its private headers.
  if(ARG_WHITEBOX)
    target_include_directories(test_${name} PRIVATE ${PROJECT_BINARY_DIR}/include/private/${name})
  endif()
  # Readable failure messages for Qt types in every test file.
  target_compile_options(test_${name} PRIVATE -include ${PROJECT_SOURCE_DIR}/tests/common/qtprinters.h)
  if(ARG_GUI)
    target_compile_definitions(test_${name} PRIVATE DRIFTDECK_TEST_GUI=1)
    target_link_libraries(test_${name} PRIVATE Qt6::Widgets)
  endif()
  if(ARG_UNREGISTERED)
    return()
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND test_${name} --gtest_color=no)
  set_tests_properties(${name} PROPERTIES
    TIMEOUT ${ARG_TIMEOUT}
    LABELS "${ARG_LABELS}"
    SKIP_RETURN_CODE 77
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;DRIFTDECK_SOURCE_DIR=${PROJECT_SOURCE_DIR};DRIFTDECK_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared;DRIFTDECK_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
