set(WFSIM_SCENARIO_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/engine/scenario/scenario_loader.cpp)
