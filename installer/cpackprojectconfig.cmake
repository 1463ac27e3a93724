# Read by cpack for every generator (CPACK_PROJECT_CONFIG_FILE): take the version the last build recorded from git
# (installer/buildinfo-generate.cmake) instead of the one known at configure time.
include("${CPACK_SEXTANT_VERSION_FILE}" OPTIONAL)
if(SEXTANT_VERSION_FULL)
  set(CPACK_PACKAGE_VERSION "${SEXTANT_VERSION_FULL}")
  set(CPACK_DEBIAN_PACKAGE_VERSION "${SEXTANT_VERSION_FULL}")
  set(CPACK_PACKAGE_FILE_NAME "${CPACK_PACKAGE_NAME}-${SEXTANT_VERSION_FULL}-${CPACK_SYSTEM_NAME}")
endif()
