# Estimators of the core library (summary.cpp is listed in the top-level CMakeLists.txt).
set(WFSIM_STATS_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/stats/regression.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/stats/study_estimators.cpp)
