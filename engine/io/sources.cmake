set(WFSIM_IO_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/engine/io/results_file.cpp)
