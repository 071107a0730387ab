// The learning catalog (MODEL.md §2, S1, S2, S8, S9): resources with topic, hours,
// modality, provider, fee, badge type and pass probability. Generated from scenario
// parameters or loaded from a CSV of real resources (scenario library, catalog_csv.h).
#pragma once

#include <cstdint>
#include <vector>

#include "wfsim/scenario.h"

namespace wfsim {

struct Resource {
  std::uint16_t topic = 0;  // index into Scenario::topics
  Modality modality = Modality::Async;
  BadgeType badge = BadgeType::None;
  bool internal = true;
  float hours = 1;             // hours to complete
  float pass_probability = 1;  // of the assessment (badge-bearing only)
  float fee_usd = 0;           // external fee for the whole resource
};

class Catalog {
 public:
  Catalog() = default;
  explicit Catalog(std::vector<Resource> resources) : resources_(std::move(resources)) {}

  // Generates scenario.catalog_size resources from the scenario's parameters, with its own
  // counter-based stream (seed, purpose "catalog"), so the catalog is a function of the seed.
  static Catalog generate(const Scenario& scenario, std::uint64_t seed);

  const std::vector<Resource>& resources() const { return resources_; }
  std::size_t size() const { return resources_.size(); }
  const Resource& operator[](std::size_t i) const { return resources_[i]; }

 private:
  std::vector<Resource> resources_;
};

}  // namespace wfsim
