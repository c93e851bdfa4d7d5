# DrainPackaging.cmake: `cpack` (or `ninja package`) in a build directory makes a .deb with
# everything a user runs: the --load plugin, drain-tidy, drain-clangd, drain-audit and the
# `drain` launcher, the docs, the annotations header, the CMake helper and the CI/editor/
# pre-commit integrations. Included at the end of the top-level CMakeLists.txt.
#
# Layout under /usr:  bin/{drain,drain-audit,drain-tidy,drain-clangd}  lib/drain/DrainTidyPlugin.so
#   share/drain/python/drain_tools/  share/drain/cmake/Drain.cmake  share/drain/integrations/
#   share/doc/drain/ (docs/, with checks/<stem>.md)  include/drain/annotations.h
if(EXISTS ${PROJECT_SOURCE_DIR}/docs)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION share/doc/drain
    PATTERN "img" EXCLUDE)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/drain)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "drain")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "drain")
set(CPACK_PACKAGE_CONTACT "drain maintainers <drain@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Clang-based checks for writes that never finished (clang-tidy, clangd, audit)")
set(CPACK_PACKAGE_DESCRIPTION
  "drain finds results of write/send/flush/poll_flush/async_write that were dropped, and \
connections shut down or closed while their write buffer may still hold data. It ships \
drain-tidy (clang-tidy with drain linked in), drain-clangd (clangd with drain), drain-audit \
(whole compile databases, HTML/SARIF/Code Quality reports) and a --load plugin for \
clang-tidy-${DRAIN_LLVM_VERSION}.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
# Shared-library dependencies (libclang-cpp, libLLVM, gRPC for drain-clangd) from dpkg-shlibdeps;
# the scripts need python3 and python3-yaml.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3 (>= 3.9), python3-yaml")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "clang-tidy-${DRAIN_LLVM_VERSION}, bear")
# gzip: a few seconds instead of a minute of xz on 40 MB of binaries.
set(CPACK_DEBIAN_COMPRESSION_TYPE "gzip")
set(CPACK_STRIP_FILES ON)
include(CPack)
