// Counter-based random streams (MODEL.md §8). Every draw is a function of
// (seed, replicate, person, month, purpose): Random123's Philox4x32-10 with the seed as
// key and (person, month, purpose|replicate, block) as counter. Nothing is seeded per
// person, so streams cost nothing to create, and two scenarios that differ in one lever
// draw the same numbers for everything else (common random numbers).
// Distributions come from Boost.Random on top of CounterStream; never std:: distributions.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <limits>

namespace wfsim {

// What a draw is for. Values are part of the stream definition: never renumber them.
enum class Purpose : std::uint32_t {
  Month = 1,        // the person-month block: hours noise, exit, enrol/drop-out, choice
  Assessment = 2,   // pass/fail of a completed programme
  Performance = 3,  // half-year TI noise
  Promotion = 4,    // year-end promotion draw
  Drift = 5,        // yearly propensity drift and target compliance
  Hire = 6,         // attributes of a new or initial person
  Catalog = 7,      // generated catalog (person = resource index)
};

inline constexpr std::uint32_t MAX_REPLICATES = 1u << 24;

// Four uniform 32-bit words for one (person, month, purpose) key: the hot-path draw.
struct Block {
  std::array<std::uint32_t, 4> words;
  // Uniform in (0, 1): never 0 or 1, so logs and comparisons are safe.
  double uniform(int i) const {
    return (static_cast<double>(words[static_cast<std::size_t>(i)]) + 0.5) * 0x1p-32;
  }
};

class StreamKey {
 public:
  StreamKey(std::uint64_t seed, std::uint32_t replicate);
  Block block(std::uint32_t person, std::int32_t month, Purpose purpose, std::uint32_t index = 0) const {
    // Inline: the hot path draws one block per person-month.
    const r123::Philox4x32::ctr_type ctr = {{person, static_cast<std::uint32_t>(month),
                                             static_cast<std::uint32_t>(purpose) | (replicate_ << 8), index}};
    const auto out = r123::Philox4x32()(ctr, key_);
    return Block{{out[0], out[1], out[2], out[3]}};
  }
  std::uint64_t seed() const { return seed_; }
  std::uint32_t replicate() const { return replicate_; }

 private:
  r123::Philox4x32::key_type key_;
  std::uint64_t seed_;
  std::uint32_t replicate_;
};

// A uniform random bit generator over one (person, month, purpose) stream, for Boost.Random
// distributions that need a variable number of draws (normal, gamma, ...). Up to 2^32 blocks.
class CounterStream {
 public:
  using result_type = std::uint32_t;
  CounterStream(const StreamKey& key, std::uint32_t person, std::int32_t month, Purpose purpose);
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<std::uint32_t>::max(); }
  result_type operator()();

 private:
  const StreamKey& key_;
  std::uint32_t person_;
  std::int32_t month_;
  Purpose purpose_;
  std::uint32_t next_block_ = 0;
  Block block_{};
  int used_ = 4;
};

// Draws used across the model (Boost.Random distributions on a CounterStream).
double draw_normal(CounterStream& s);               // N(0, 1)
double draw_gamma(CounterStream& s, double shape);  // Gamma(shape, 1)
double draw_lognormal(CounterStream& s, double mu, double sigma);
double draw_exponential(CounterStream& s, double mean);
double draw_uniform01(CounterStream& s);

}  // namespace wfsim
