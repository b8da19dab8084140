#include "dedup/near_copy_gen.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "dedup/minhash.h"

namespace winnow::dedup {
namespace {

TEST(NearCopyGen, IsDeterministicAndMakesFamiliesOfSimilarTexts) {
  NearCopyOptions o;
  o.families = 20;
  o.copies = 4;
  o.singletons = 30;
  auto a = GenerateNearCopies(o);
  auto b = GenerateNearCopies(o);
  ASSERT_EQ(a.size(), 20u * 5 + 30);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].text, b[i].text);
  std::set<std::string> ids;
  for (const auto& d : a) ids.insert(d.id);
  EXPECT_EQ(ids.size(), a.size());

  MinHasher hasher(MinHashConfig{});
  std::map<int, const NearCopyDoc*> originals;
  for (const auto& d : a)
    if (d.family >= 0 && d.edit == EditKind::kOriginal) originals[d.family] = &d;
  ASSERT_EQ(originals.size(), 20u);
  int similar = 0, copies = 0;
  for (const auto& d : a) {
    if (d.family < 0 || d.edit == EditKind::kOriginal) continue;
    ++copies;
    const double j = hasher.ShingleJaccard(d.text, originals[d.family]->text);
    EXPECT_GT(j, 0.0) << d.id;
    similar += j >= 0.5;
    if (d.edit != EditKind::kBoilerplate) {
      EXPECT_LE(d.strength, o.max_edit_fraction + 1e-9) << d.id;
    }
  }
  EXPECT_GT(similar, copies / 2);
  // Unrelated documents share (almost) nothing.
  const NearCopyDoc* s0 = nullptr;
  for (const auto& d : a)
    if (d.family < 0) s0 = &d;
  ASSERT_NE(s0, nullptr);
  EXPECT_LT(hasher.ShingleJaccard(s0->text, originals[0]->text), 0.05);
}

}  // namespace
}  // namespace winnow::dedup
