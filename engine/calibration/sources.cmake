set(WFSIM_CALIBRATION_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/engine/calibration/calibration.cpp
                              ${CMAKE_CURRENT_SOURCE_DIR}/engine/calibration/study_panels.cpp)
