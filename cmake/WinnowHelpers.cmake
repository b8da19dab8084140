# Warnings live on a private interface target and are never leaked to
# consumers of the library.
add_library(winnow_warnings INTERFACE)
target_compile_options(winnow_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # Indexing a 256-entry table with a character literal is safe; clang
  # warns about every one.
  target_compile_options(winnow_warnings INTERFACE -Wno-char-subscripts)
endif()
if(WINNOW_WERROR)
  target_compile_options(winnow_warnings INTERFACE -Werror)
endif()

# winnow_module(NAME SOURCES ... DEPS ...): one static library per module.
# Modules include each other as "module/header.h" (the src/ folder is on the
# include path) and the public API as "winnow/header.h".
function(winnow_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(winnow_${name} STATIC ${ARG_SOURCES})
  target_include_directories(winnow_${name} PUBLIC
    ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(winnow_${name} PUBLIC ${ARG_DEPS} PRIVATE winnow_warnings)
endfunction()

# winnow_test(NAME SOURCES ... DEPS ...): a GoogleTest binary registered with ctest.
# Tests find shared data through the WINNOW_SHARED_DIR environment variable
# (set below to ../shared) and must GTEST_SKIP() when it is absent.
function(winnow_test name)
  if(NOT WINNOW_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main winnow_warnings)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT
    "WINNOW_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared;WINNOW_SOURCE_DIR=${PROJECT_SOURCE_DIR};WINNOW_BIN=${CMAKE_BINARY_DIR}/bin/winnow")
endfunction()
