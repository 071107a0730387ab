#include "wfsim/random.h"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "wfsim/errors.h"

namespace wfsim {

StreamKey::StreamKey(std::uint64_t seed, std::uint32_t replicate) : seed_(seed), replicate_(replicate) {
  if (replicate >= MAX_REPLICATES)
    throw InputError("run.replicates", "at most 16777216 replicates are supported");
  key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
}

CounterStream::CounterStream(const StreamKey& key, std::uint32_t person, std::int32_t month, Purpose purpose)
    : key_(key), person_(person), month_(month), purpose_(purpose) {}

CounterStream::result_type CounterStream::operator()() {
  if (used_ == 4) {
    block_ = key_.block(person_, month_, purpose_, next_block_++);
    used_ = 0;
  }
  return block_.words[static_cast<std::size_t>(used_++)];
}

double draw_normal(CounterStream& s) { return boost::random::normal_distribution<double>(0.0, 1.0)(s); }
double draw_gamma(CounterStream& s, double shape) {
  return boost::random::gamma_distribution<double>(shape, 1.0)(s);
}
double draw_lognormal(CounterStream& s, double mu, double sigma) {
  return boost::random::lognormal_distribution<double>(mu, sigma)(s);
}
double draw_exponential(CounterStream& s, double mean) {
  return boost::random::exponential_distribution<double>(1.0 / mean)(s);
}
double draw_uniform01(CounterStream& s) { return boost::random::uniform_01<double>()(s); }

}  // namespace wfsim
