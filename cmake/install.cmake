# cmake/install.cmake — cmake --install build --prefix P puts
#   P/include/agree/...            the public headers (as #include "agree/...")
#   P/lib/libagree*.a              agree::agree, agree::cli, agree::prove, agree::mpi
#   P/lib/cmake/agree/             the package: find_package(agree 0.5)
#   P/lib/pkgconfig/agree.pc       pkg-config --cflags --libs agree
#   P/bin/agree                    the command line
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(AGREE_INSTALL_TARGETS agree_core)
if(TARGET agree_cli)
  list(APPEND AGREE_INSTALL_TARGETS agree_cli)
  install(TARGETS agree RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
set(AGREE_HEADER_DIRS model checker properties counterexamples cli explore testing)
if(AGREE_PROVE)
  list(APPEND AGREE_INSTALL_TARGETS agree_prove)
  list(APPEND AGREE_HEADER_DIRS prove)
endif()
if(TARGET agree_mpi)
  list(APPEND AGREE_INSTALL_TARGETS agree_mpi)
  list(APPEND AGREE_HEADER_DIRS mpi)
endif()
install(TARGETS ${AGREE_INSTALL_TARGETS} EXPORT agreeTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(dir IN LISTS AGREE_HEADER_DIRS)
  install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/agree/${dir} FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(FILES agree.hpp testing.hpp ${AGREE_GENERATED_DIR}/agree/version.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/agree)

set(AGREE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/agree)
install(EXPORT agreeTargets NAMESPACE agree:: DESTINATION ${AGREE_CMAKE_DIR})
configure_package_config_file(cmake/agreeConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/agreeConfig.cmake
                              INSTALL_DESTINATION ${AGREE_CMAKE_DIR})
# 0.x: a minor version may change the API, so 0.5 accepts 0.5.* only.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/agreeConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/agreeConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/agreeConfigVersion.cmake
        DESTINATION ${AGREE_CMAKE_DIR})
configure_file(cmake/agree.pc.in ${CMAKE_CURRENT_BINARY_DIR}/agree.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/agree.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
