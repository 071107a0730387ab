# The io library (results file format, HDF5 private): engine/io/*.cpp
set(WFSIM_IO_SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/engine/io/hdf5_interface.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/engine/io/results_file.cpp)
