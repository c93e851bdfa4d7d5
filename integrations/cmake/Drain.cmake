# Drain.cmake: run drain's checks as part of your build, one line in your CMakeLists.txt.
#
#   list(APPEND CMAKE_MODULE_PATH /usr/share/drain/cmake)   # where the drain package puts it
#   include(Drain)
#   drain_enable_clang_tidy()                  # before add_executable/add_library
#
# Every C and C++ compile of the targets defined afterwards also runs drain-tidy on the source
# (CMake's <LANG>_CLANG_TIDY). By default drain's findings are warnings in the build log;
#
#   drain_enable_clang_tidy(WARNINGS_AS_ERRORS)
#
# makes each one fail the compile of its file, so CI goes red on a write that never finished.
# Other arguments:
#   CHECKS <globs>          checks to run (default "-*,drain-*"; a .clang-tidy file is also read)
#   HEADER_FILTER <regex>   report findings in headers matching this (default: none)
#   DRAIN_TIDY <path>       the drain-tidy to use (default: next to this file's package, then PATH)
#   EXTRA_ARGS <args...>    more drain-tidy arguments
#   LANGUAGES <C CXX>       which languages (default: CXX and, if enabled, C)
# drain_disable_clang_tidy() turns it off again for targets defined afterwards.
include_guard(GLOBAL)

macro(drain_enable_clang_tidy)
  cmake_parse_arguments(_DRAIN "WARNINGS_AS_ERRORS" "CHECKS;HEADER_FILTER;DRAIN_TIDY"
                        "EXTRA_ARGS;LANGUAGES" ${ARGN})
  if(_DRAIN_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "drain_enable_clang_tidy: unknown arguments: ${_DRAIN_UNPARSED_ARGUMENTS}")
  endif()
  if(_DRAIN_DRAIN_TIDY)
    set(DRAIN_TIDY_EXECUTABLE "${_DRAIN_DRAIN_TIDY}" CACHE FILEPATH "drain-tidy" FORCE)
  else()
    # <prefix>/share/drain/cmake/Drain.cmake -> <prefix>/bin/drain-tidy
    find_program(DRAIN_TIDY_EXECUTABLE drain-tidy
      HINTS "${_DRAIN_CMAKE_DIR}/../../../bin" DOC "drain-tidy (clang-tidy with drain linked in)")
  endif()
  if(NOT DRAIN_TIDY_EXECUTABLE OR NOT EXISTS "${DRAIN_TIDY_EXECUTABLE}")
    message(FATAL_ERROR "drain_enable_clang_tidy: drain-tidy not found (install drain, or pass "
                        "DRAIN_TIDY /path/to/drain-tidy)")
  endif()
  if(NOT _DRAIN_CHECKS)
    set(_DRAIN_CHECKS "-*,drain-*")
  endif()
  set(_DRAIN_CMD "${DRAIN_TIDY_EXECUTABLE}" "--checks=${_DRAIN_CHECKS}" "--quiet")
  set(_DRAIN_MODE "findings are warnings")
  if(_DRAIN_WARNINGS_AS_ERRORS)
    list(APPEND _DRAIN_CMD "--warnings-as-errors=drain-*")
    set(_DRAIN_MODE "a finding fails the build")
  endif()
  if(_DRAIN_HEADER_FILTER)
    list(APPEND _DRAIN_CMD "--header-filter=${_DRAIN_HEADER_FILTER}")
  endif()
  list(APPEND _DRAIN_CMD ${_DRAIN_EXTRA_ARGS})
  if(NOT _DRAIN_LANGUAGES)
    set(_DRAIN_LANGUAGES CXX)
    get_property(_drain_langs GLOBAL PROPERTY ENABLED_LANGUAGES)
    if("C" IN_LIST _drain_langs)
      list(APPEND _DRAIN_LANGUAGES C)
    endif()
  endif()
  foreach(_drain_lang IN LISTS _DRAIN_LANGUAGES)
    set(CMAKE_${_drain_lang}_CLANG_TIDY ${_DRAIN_CMD})
  endforeach()
  message(STATUS "drain: ${DRAIN_TIDY_EXECUTABLE} runs on every ${_DRAIN_LANGUAGES} compile "
                 "(${_DRAIN_CHECKS}; ${_DRAIN_MODE})")
endmacro()

macro(drain_disable_clang_tidy)
  unset(CMAKE_CXX_CLANG_TIDY)
  unset(CMAKE_C_CLANG_TIDY)
endmacro()

set(_DRAIN_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")
