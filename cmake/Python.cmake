# The Python module `winnow` (python/, docs/PYTHON.md): a pybind11 extension
# linking the same static module libraries as the CLI.
#
# WINNOW_PYTHON (default ON) builds the extension target `winnow_python`
# when Debian's pybind11 and the Python headers are found, and registers the
# pytest suite with ctest. An extension is a shared object, so every static
# library is then compiled as position-independent code; with
# -fno-semantic-interposition the code GCC emits for the CLI stays as fast
# as the default PIE code (calls within a library are still inlined).
#
# Included from the root CMakeLists.txt before the modules are added, so
# that CMAKE_POSITION_INDEPENDENT_CODE reaches every library target.
option(WINNOW_PYTHON "Build the Python module (needs pybind11-dev, python3-dev)" ON)

set(WINNOW_PYTHON_ENABLED OFF)
if(WINNOW_PYTHON AND (WINNOW_SANITIZE OR WINNOW_FUZZ))
  # A sanitized extension cannot be loaded by an uninstrumented python3.
  message(STATUS "Python module: off (sanitizer or fuzzing build)")
elseif(WINNOW_PYTHON)
  # /usr/bin/python3 unless told otherwise: a python3 earlier on PATH may be
  # an interpreter without Debian's pybind11 and pytest.
  if(NOT Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python for the winnow module")
  endif()
  find_package(Python3 COMPONENTS Interpreter Development.Module QUIET)
  if(Python3_FOUND)
    find_package(pybind11 CONFIG QUIET)
  endif()
  if(Python3_FOUND AND pybind11_FOUND)
    set(WINNOW_PYTHON_ENABLED ON)
    set(CMAKE_POSITION_INDEPENDENT_CODE ON)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
      add_compile_options(-fno-semantic-interposition)
    endif()
    message(STATUS "Python module: on (${Python3_EXECUTABLE}, pybind11 ${pybind11_VERSION})")
    add_subdirectory(${PROJECT_SOURCE_DIR}/python ${CMAKE_BINARY_DIR}/python)
  else()
    message(STATUS "Python module: off (install pybind11-dev and python3-dev, "
                   "or pass -DWINNOW_PYTHON=OFF to silence this)")
  endif()
endif()
