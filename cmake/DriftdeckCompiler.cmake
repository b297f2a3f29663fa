# Warning flags, sanitizers and compiler cache, gathered in one interface target.
add_library(driftdeck_warnings INTERFACE)
target_compile_options(driftdeck_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(DRIFTDECK_WERROR)
  target_compile_options(driftdeck_warnings INTERFACE -Werror)
endif()
# QStringBuilder and no implicit casts keep string handling explicit and fast.
target_compile_definitions(driftdeck_warnings INTERFACE
  QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_USE_QSTRINGBUILDER QT_NO_KEYWORDS)

if(DRIFTDECK_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(DRIFTDECK_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DRIFTDECK_BUILD_FUZZ needs clang (libFuzzer): use cmake --preset fuzz")
  endif()
  # Coverage instrumentation for the libraries too; only the fuzz_* executables link libFuzzer.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  # Paths relative to the checkout let a fresh clone (as CI makes) reuse the cache.
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}
    CCACHE_NOHASHDIR=1 ${CCACHE_PROGRAM})
endif()
