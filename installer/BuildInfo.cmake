# Version and build information for `sextant --version` and Help → About (app/buildinfo.h).
#
# The version comes from git: `git describe` against the newest v<major>.<minor>.<patch> tag, or, before the first
# tag, the CMake project version plus the number of commits and the abbreviated hash (0.1.0+git11.g209c51f);
# ".dirty" marks a tree with uncommitted changes. Outside a git checkout (a source tarball) it is the project
# version. The generator runs at configure time and again on every build, but rewrites its outputs only when they
# change, so a new commit recompiles one file instead of requiring a re-configure. CPack reads the same version
# (installer/cpackprojectconfig.cmake), so a package built after a commit is named for that commit.

set(SEXTANT_BUILDINFO_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/buildinfo-generate.cmake")
set(SEXTANT_VERSION_FILE "${CMAKE_BINARY_DIR}/sextant-version.cmake")

# Arguments shared by the configure-time run and the build-time command.
function(_sextant_buildinfo_args out header)
  set(${out}
      "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
      "-DPROJECT_VERSION=${PROJECT_VERSION}"
      "-DBUILD_TYPE=${CMAKE_BUILD_TYPE}"
      "-DCOMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
      "-DHEADER=${header}"
      "-DVERSION_FILE=${SEXTANT_VERSION_FILE}"
      PARENT_SCOPE)
endfunction()

# Gives `target` the generated header buildinfo_generated.h (macros SEXTANT_BUILD_*), refreshed on every build.
function(sextant_add_buildinfo target)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/buildinfo")
  set(header "${dir}/buildinfo_generated.h")
  _sextant_buildinfo_args(args "${header}")
  execute_process(COMMAND "${CMAKE_COMMAND}" ${args} -P "${SEXTANT_BUILDINFO_SCRIPT}")
  add_custom_target(${target}_buildinfo
    COMMAND "${CMAKE_COMMAND}" ${args} -P "${SEXTANT_BUILDINFO_SCRIPT}"
    BYPRODUCTS "${header}" "${SEXTANT_VERSION_FILE}"
    COMMENT "Checking the git version"
    VERBATIM)
  add_dependencies(${target} ${target}_buildinfo)
  target_include_directories(${target} PRIVATE "${dir}")
endfunction()
