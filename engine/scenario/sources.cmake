set(WFSIM_SCENARIO_SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/engine/scenario/loader.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/engine/scenario/key_tree.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/engine/scenario/params_docs.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/engine/scenario/catalog_csv.cpp)
