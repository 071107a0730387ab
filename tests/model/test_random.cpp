// Golden values of every random stream and distribution the model uses: a change of
// algorithm, library or compiler flag that moves a draw fails here first.
#include <catch2/catch.hpp>
#include <cstdio>

#include "wfsim/random.h"

using namespace wfsim;

TEST_CASE("Philox block is keyed by seed, replicate, person, month and purpose", "[random]") {
  const StreamKey k(20201201, 0);
  const Block b = k.block(7, 24168, Purpose::Month);
  // Golden words (Random123 Philox4x32-10).
  CHECK(b.words[0] == 4226939961u);
  CHECK(b.words[1] == 4159157902u);
  CHECK(b.words[2] == 851578330u);
  CHECK(b.words[3] == 3952532620u);
  // Each key part changes the block.
  CHECK(StreamKey(20201202, 0).block(7, 24168, Purpose::Month).words != b.words);
  CHECK(StreamKey(20201201, 1).block(7, 24168, Purpose::Month).words != b.words);
  CHECK(k.block(8, 24168, Purpose::Month).words != b.words);
  CHECK(k.block(7, 24169, Purpose::Month).words != b.words);
  CHECK(k.block(7, 24168, Purpose::Promotion).words != b.words);
  // Same key, same block: no hidden state.
  CHECK(k.block(7, 24168, Purpose::Month).words == b.words);
}

TEST_CASE("Boost distributions on a counter stream give pinned first draws", "[random]") {
  const StreamKey k(42, 3);
  CounterStream s(k, 11, 5, Purpose::Hire);
  const double n = draw_normal(s);
  const double g = draw_gamma(s, 2.0);
  const double l = draw_lognormal(s, 0.0, 0.5);
  const double e = draw_exponential(s, 3.0);
  const double u = draw_uniform01(s);
  // Pinned to 1e-12 relative: exact on this toolchain with -ffp-contract=off; the margin only
  // absorbs printing of the golden values.
  CHECK(n == Approx(1.1229975352712198).epsilon(1e-12));
  CHECK(g == Approx(2.9310362811601407).epsilon(1e-12));
  CHECK(l == Approx(1.7300863274926188).epsilon(1e-12));
  CHECK(e == Approx(3.9650065615813266).epsilon(1e-12));
  CHECK(u == Approx(0.1148544498719275).epsilon(1e-12));
}

TEST_CASE("Philox4x32-10 matches Random123's known-answer vector", "[random]") {
  // kat_vectors of Random123: counter 0, key 0.
  const r123::Philox4x32::ctr_type c = {{0, 0, 0, 0}};
  const r123::Philox4x32::key_type k = {{0, 0}};
  const auto out = r123::Philox4x32()(c, k);
  CHECK(out[0] == 0x6627e8d5u);
  CHECK(out[1] == 0xe169c58du);
  CHECK(out[2] == 0xbc57ac4cu);
  CHECK(out[3] == 0x9b00dbd8u);
}

TEST_CASE("Block uniforms are strictly inside (0, 1)", "[random]") {
  Block b{{0u, 0xffffffffu, 1u, 0x80000000u}};
  CHECK(b.uniform(0) > 0.0);
  CHECK(b.uniform(1) < 1.0);
  CHECK(b.uniform(3) == Approx(0.5).margin(1e-9));
}
