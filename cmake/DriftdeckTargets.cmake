# driftdeck_core_library(NAME SOURCES ... [PUBLIC ...] [PRIVATE ...])
# One static library per core folder. Headers are included as "folder/file.h" from core/.
function(driftdeck_core_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(driftdeck_${name} STATIC ${ARG_SOURCES})
  add_library(Driftdeck::${name} ALIAS driftdeck_${name})
  target_include_directories(driftdeck_${name} PUBLIC ${PROJECT_SOURCE_DIR}/core)
  target_link_libraries(driftdeck_${name} PUBLIC ${ARG_PUBLIC} PRIVATE driftdeck_warnings ${ARG_PRIVATE})
  set_target_properties(driftdeck_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# driftdeck_test(NAME SOURCES ... LINKS ... [GUI] [UNREGISTERED] [TIMEOUT s] [LABELS ...])
# One test executable per core target, registered with ctest under its own name (UNREGISTERED:
# built only, another folder registers it, e.g. tests/realkube for tests that need the real tools).
function(driftdeck_test name)
  cmake_parse_arguments(ARG "GUI;UNREGISTERED" "TIMEOUT" "SOURCES;LINKS;LABELS" ${ARGN})
  add_executable(test_${name} ${ARG_SOURCES})
  target_link_libraries(test_${name} PRIVATE driftdeck_test_main driftdeck_warnings ${ARG_LINKS})
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
