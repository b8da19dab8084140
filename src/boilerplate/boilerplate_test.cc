#include "boilerplate/boilerplate.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "boilerplate/line_key.h"
#include "gen/generator.h"

namespace winnow::boilerplate {
namespace {

std::shared_ptr<const PublicSuffixList> Psl() {
  static auto psl =
      PublicSuffixList::Parse("com\nco.uk\nnet\norg\ninfo\nnews\n").value();
  return psl;
}

uint64_t Key(std::string_view line, const BoilerplateOptions& o = {}) {
  return LineKey(NormalizeLine(line), o.short_line_max_words,
                 o.short_line_max_bytes);
}

TEST(Threshold, TakesTheLowerOfAbsoluteAndRelativeAboveTheFloor) {
  BoilerplateOptions o;
  o.min_docs = 10;
  o.min_fraction = 0.5;
  o.min_docs_short = 4;
  o.min_fraction_short = 0.3;
  o.min_docs_floor = 2;
  EXPECT_EQ(Threshold(o, false, 1000), 10u);
  EXPECT_EQ(Threshold(o, false, 8), 4u);
  EXPECT_EQ(Threshold(o, false, 3), 2u);
  EXPECT_EQ(Threshold(o, false, 1), 2u);  // the floor
  EXPECT_EQ(Threshold(o, true, 1000), 4u);
  EXPECT_EQ(Threshold(o, true, 10), 3u);        // 0.3 * 10, no rounding up
  EXPECT_FALSE(IsBoilerplate(o, false, 1, 1));  // a single page
  EXPECT_TRUE(IsBoilerplate(o, false, 2, 2));
  o.min_docs = 0;
  EXPECT_EQ(Threshold(o, false, 1000), 500u);
  o.min_fraction = 0;
  EXPECT_EQ(Threshold(o, false, 1000), UINT64_MAX);
  EXPECT_FALSE(IsBoilerplate(o, false, 1000, 1000));
}

TEST(Threshold, ShortLinesHaveTheirOwnFloorAndEveryPagePasses) {
  BoilerplateOptions o;
  o.min_docs = 1000;
  o.min_fraction = 0.15;
  o.min_docs_short = 20;
  o.min_fraction_short = 0.1;
  o.min_docs_floor = 3;
  o.min_docs_floor_short = 2;
  EXPECT_EQ(Threshold(o, false, 10), 3u);  // floor over 0.15 * 10
  EXPECT_EQ(Threshold(o, true, 10), 2u);   // short floor
  EXPECT_EQ(Threshold(o, false, 100), 15u);
  EXPECT_EQ(Threshold(o, false, 100000), 1000u);
  EXPECT_EQ(Threshold(o, true, 100000), 20u);
  // A line on both pages of a two-page site.
  EXPECT_TRUE(IsBoilerplate(o, false, 2, 2));
  EXPECT_FALSE(IsBoilerplate(o, false, 2, 3));
  o.every_page_passes_floor = false;
  EXPECT_FALSE(IsBoilerplate(o, false, 2, 2));
  EXPECT_FALSE(IsBoilerplate(o, false, 1, 1));
  o.every_page_passes_floor = true;
  EXPECT_FALSE(IsBoilerplate(o, false, 1, 1));  // one page says nothing
}

TEST(ValidateOptions, RejectsBadValues) {
  BoilerplateOptions o;
  EXPECT_TRUE(ValidateOptions(o).ok());
  o.min_docs_floor = 1;
  EXPECT_FALSE(ValidateOptions(o).ok());
  o = {};
  o.min_docs_floor_short = 1;
  EXPECT_FALSE(ValidateOptions(o).ok());
  o = {};
  o.min_fraction = -1;
  EXPECT_FALSE(ValidateOptions(o).ok());
  o = {};
  o.cross_site = CrossSiteMode::kRemove;
  o.cross_site_min_sites = 1;
  EXPECT_FALSE(ValidateOptions(o).ok());
}

TEST(KeyLines, SkipsBlankAndOverlongLines) {
  BoilerplateOptions o;
  o.max_line_bytes = 10;
  o.max_lines_per_doc = 4;
  std::vector<LineInfo> lines;
  std::string scratch;
  KeyLines(o, "Menu\n\n  \nthis line is too long\nShare\nShare", &lines,
           &scratch);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_NE(lines[0].key, 0u);
  EXPECT_TRUE(lines[1].blank);
  EXPECT_TRUE(lines[2].blank);
  EXPECT_EQ(lines[3].key, 0u);
  EXPECT_FALSE(lines[3].blank);
  EXPECT_EQ(lines[4].key, 0u);  // past max_lines_per_doc
  EXPECT_EQ(lines[5].key, 0u);
}

TEST(DocumentKeyer, EmitsBookkeepingAndDistinctLines) {
  BoilerplateOptions o;
  DocumentKeyer keyer(Psl().get(), o);
  std::vector<KeyRecord> recs, cross;
  const std::string text = "Menu\n\nText here.\nMENU\n";
  EXPECT_EQ(keyer.Keys("https://www.a.com/x", text, 7, &recs, &cross),
            SiteOutcome::kRegisteredDomain);
  EXPECT_EQ(keyer.site(), "a.com");
  ASSERT_EQ(recs.size(), 4u);  // docs + shard records, 2 distinct lines
  for (const KeyRecord& r : recs) EXPECT_EQ(r.key_hi, SiteKey("a.com"));
  EXPECT_EQ(recs[0].key_lo, kSiteDocsLine);
  EXPECT_EQ(recs[0].value, TextKey(text));
  EXPECT_EQ(recs[1].key_lo, kSiteShardLine);
  EXPECT_EQ(recs[1].value, 7u);
  EXPECT_EQ(recs[2].value, TextKey(text));
  EXPECT_TRUE(cross.empty());  // cross-site counting is off by default

  recs.clear();
  EXPECT_EQ(keyer.Keys("", "Menu", 8, &recs, &cross), SiteOutcome::kNoUrl);
  EXPECT_EQ(keyer.Keys("not a url", "Menu", 9, &recs, &cross),
            SiteOutcome::kMalformedUrl);
  EXPECT_TRUE(recs.empty());
  EXPECT_EQ(keyer.site_key(), 0u);

  o.cross_site = CrossSiteMode::kRemove;
  DocumentKeyer cross_keyer(Psl().get(), o);
  cross_keyer.Keys("https://a.com/", "Menu\nText", 1, &recs, &cross);
  EXPECT_EQ(cross.size(), 2u);
}

std::vector<KeyRecord> Sorted(std::vector<KeyRecord> v) {
  std::sort(v.begin(), v.end());
  return v;
}

struct Decision {
  uint64_t shard, site, line;
  friend bool operator==(const Decision&, const Decision&) = default;
};

// Reduces `recs` (sorted first) with a SiteGroupReducer that records its
// decisions and its repeated-line reports; returns repeated_groups().
uint64_t ReduceWithRepeats(const BoilerplateOptions& o, const std::vector<KeyRecord>& recs,
                           std::vector<Decision>* decisions, std::vector<Decision>* repeated) {
  SiteGroupReducer r(
      o,
      [&](uint64_t shard, uint64_t s, uint64_t l) {
        decisions->push_back({shard, s, l});
      },
      nullptr);
  r.set_on_repeated([&](uint64_t shard, uint64_t s, uint64_t l) {
    repeated->push_back({shard, s, l});
  });
  for (const KeyRecord& rec : Sorted(recs)) r.Add(rec);
  r.Finish();
  return r.repeated_groups();
}

TEST(SiteGroupReducer, CountsDistinctTextsPerSiteAndLine) {
  BoilerplateOptions o;
  o.min_docs = 3;
  o.min_fraction = 0;
  o.min_docs_short = 3;
  o.min_fraction_short = 0;
  const uint64_t site = 100, line = 6, other = 8;
  std::vector<KeyRecord> recs;
  // Texts 11..15; text 12 twice (an exact copy in shard 4).
  for (uint64_t t = 11; t <= 15; ++t) recs.push_back({site, kSiteDocsLine, t});
  recs.push_back({site, kSiteDocsLine, 12});
  for (uint64_t shard : {2, 4, 2})
    recs.push_back({site, kSiteShardLine, shard});
  // `line` on texts 11, 12 (twice), 14: three distinct documents.
  for (uint64_t t : {11, 12, 12, 14}) recs.push_back({site, line, t});
  // `other` on 12 (twice) and 13: two distinct documents.
  for (uint64_t t : {12, 12, 13}) recs.push_back({site, other, t});
  std::vector<Decision> decisions;
  std::vector<GroupStat> groups;
  SiteGroupReducer r(
      o,
      [&](uint64_t shard, uint64_t s, uint64_t l) {
        decisions.push_back({shard, s, l});
      },
      [&](const GroupStat& g) { groups.push_back(g); });
  for (const KeyRecord& rec : Sorted(recs)) r.Add(rec);
  r.Finish();
  EXPECT_EQ(decisions,
            (std::vector<Decision>{{2, site, line}, {4, site, line}}));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].docs, 3u);
  EXPECT_EQ(groups[0].site_docs, 5u);
  EXPECT_EQ(r.sites(), 1u);
  EXPECT_EQ(r.groups(), 2u);
  EXPECT_EQ(r.boilerplate_groups(), 1u);
}

TEST(SiteGroupReducer, UsesEachSitesOwnDocumentCount) {
  BoilerplateOptions o;
  o.min_docs = 100;
  o.min_fraction = 0.5;
  o.min_docs_floor = 2;
  std::vector<KeyRecord> recs;
  // Site 1: 4 docs, line on 2 -> boilerplate. Site 2: 10 docs, same line
  // key on 2 -> not.
  for (uint64_t d = 0; d < 4; ++d) recs.push_back({1, kSiteDocsLine, d});
  for (uint64_t d = 10; d < 20; ++d) recs.push_back({2, kSiteDocsLine, d});
  recs.push_back({1, kSiteShardLine, 0});
  recs.push_back({2, kSiteShardLine, 0});
  for (uint64_t d : {0, 3}) recs.push_back({1, 42, d});
  for (uint64_t d : {10, 11}) recs.push_back({2, 42, d});
  std::vector<uint64_t> sites;
  SiteGroupReducer r(
      o, [&](uint64_t, uint64_t s, uint64_t) { sites.push_back(s); }, nullptr);
  for (const KeyRecord& rec : Sorted(recs)) r.Add(rec);
  r.Finish();
  EXPECT_EQ(sites, std::vector<uint64_t>{1});
}

TEST(SiteGroupReducer, ASiteWithOnePageHasNoBoilerplate) {
  BoilerplateOptions o;
  std::vector<KeyRecord> recs = {
      {9, kSiteDocsLine, 1}, {9, kSiteShardLine, 0}, {9, 40, 1}, {9, 42, 1}};
  int decisions = 0;
  SiteGroupReducer r(
      o, [&](uint64_t, uint64_t, uint64_t) { ++decisions; }, nullptr);
  for (const KeyRecord& rec : recs) r.Add(rec);
  r.Finish();
  EXPECT_EQ(decisions, 0);
}

TEST(SiteGroupReducer, HandlesAMillionPageSiteInOnePass) {
  BoilerplateOptions o;
  o.min_docs = 10;
  std::vector<KeyRecord> recs;
  const uint64_t n = 1000000;
  recs.reserve(2 * n + n / 1000 + 8);
  for (uint64_t d = 0; d < n; ++d) {
    recs.push_back({5, kSiteDocsLine, d});
    recs.push_back({5, 2, d});
    if (d % 1000 == 0) recs.push_back({5, 4, d});  // 1000 docs, 0.1%
  }
  for (uint64_t shard = 0; shard < 3; ++shard)
    recs.push_back({5, kSiteShardLine, shard});
  std::vector<Decision> decisions;
  SiteGroupReducer r(
      o,
      [&](uint64_t shard, uint64_t s, uint64_t l) {
        decisions.push_back({shard, s, l});
      },
      nullptr);
  for (const KeyRecord& rec : Sorted(std::move(recs))) r.Add(rec);
  r.Finish();
  EXPECT_EQ(decisions.size(), 6u);  // 2 lines x 3 shards
}

TEST(CrossSiteReducer, CountsDistinctSites) {
  BoilerplateOptions o;
  o.cross_site_min_sites = 3;
  std::vector<KeyRecord> recs = {{7, 1, 0}, {7, 1, 0}, {7, 2, 0}, {7, 3, 0},
                                 {9, 1, 0}, {9, 1, 0}, {9, 1, 0}, {9, 2, 0}};
  std::vector<uint64_t> lines;
  CrossSiteReducer r(o, [&](uint64_t l) { lines.push_back(l); });
  for (const KeyRecord& rec : Sorted(recs)) r.Add(rec);
  r.Finish();
  EXPECT_EQ(lines, std::vector<uint64_t>{7});
}

TEST(ApplyBoilerplate, LeavesDocumentsWithoutDecisionsUntouched) {
  BoilerplateOptions o;
  std::string out;
  std::string text = "Menu\n\n\n  Body  \n";
  std::vector<uint64_t> keys = {Key("not in the text")};
  ApplyResult r = ApplyBoilerplate(o, text, {}, {}, &out);
  EXPECT_EQ(out, text);
  EXPECT_EQ(r.lines_removed, 0u);
  r = ApplyBoilerplate(o, text, keys, {}, &out);
  EXPECT_EQ(out, text);
  EXPECT_FALSE(r.too_short);
}

TEST(ApplyBoilerplate, RemovesLinesAndMergesBlankRuns) {
  BoilerplateOptions o;
  o.min_words_after_removal = 0;
  std::string text =
      "Darovo NET\n\nHome | World\n\nHeadline\n\nFirst paragraph.\n\n"
      "Back to news »\n\nSecond paragraph.\nsubscribe NOW\n\n© 2021 Darovo\n";
  std::vector<uint64_t> keys = {Key("Darovo NET"), Key("home | world"),
                                Key("Back to news »"), Key("Subscribe now"),
                                Key("© 1999 Darovo")};
  std::sort(keys.begin(), keys.end());
  std::string out;
  std::vector<std::string_view> removed;
  ApplyResult r = ApplyBoilerplate(o, text, keys, {}, &out, &removed);
  EXPECT_EQ(out, "Headline\n\nFirst paragraph.\n\nSecond paragraph.");
  EXPECT_EQ(r.lines_removed, 5u);
  ASSERT_EQ(removed.size(), 5u);
  EXPECT_EQ(removed[0], "Darovo NET");
  EXPECT_EQ(removed[4], "© 2021 Darovo");
  EXPECT_EQ(r.words_left, 5u);
}

TEST(ApplyBoilerplate, KeepsBlankRunsAwayFromRemovedLines) {
  BoilerplateOptions o;
  o.min_words_after_removal = 0;
  std::string out;
  std::vector<uint64_t> keys = {Key("Menu")};
  ApplyBoilerplate(o, "\n\nA\n\n\nB\nMenu\nC\n", keys, {}, &out);
  EXPECT_EQ(out, "\n\nA\n\n\nB\nC\n");
  // The cross-site set removes too.
  ApplyBoilerplate(o, "A\n\nMenu\n\nB", {}, keys, &out);
  EXPECT_EQ(out, "A\n\nB");
}

TEST(ApplyBoilerplate, KeepsShortLinesInsideTheArticle) {
  BoilerplateOptions o;  // min_interior_run 3, anchor_min_words 5
  o.min_words_after_removal = 0;
  const std::string p1 = "The first paragraph has more than five words.";
  const std::string p2 = "The second paragraph has more than five words too.";
  const std::string text = "Site Title\n\n" + p1 +
                           "\n\nDescription\n\n" + p2 + "\nelse:\n" + p1 +
                           "\nThe disclaimer of the site is long "
                           "enough to be prose.\n" + p2 +
                           "\nShare\nTweet\nEmail\n" + p1 +
                           "\nPrevious topic\nSome title\nNext topic\n"
                           "Other title\n- Show Source";
  std::vector<uint64_t> keys = {
      Key("Site Title"),   Key("Description"), Key("else:"),
      Key("The disclaimer of the site is long enough to be prose."),
      Key("Share"),        Key("Tweet"),       Key("Email"),
      Key("Previous topic"), Key("Next topic")};
  std::sort(keys.begin(), keys.end());
  std::string out;
  std::vector<std::string_view> removed;
  ApplyBoilerplate(o, text, keys, {}, &out, &removed);
  // Kept: the heading and the code line between prose lines. Removed: the
  // header before the first anchor, the long decided line, the run of
  // three, and the labels after the last anchor (the link texts between
  // them are not prose).
  EXPECT_EQ(out, p1 + "\n\nDescription\n\n" + p2 + "\nelse:\n" + p1 + "\n" +
                     p2 + "\n" + p1 +
                     "\nSome title\nOther title\n- Show Source");
  EXPECT_EQ(removed.size(), 7u);

  // min_interior_run 1: every decided line goes.
  o.min_interior_run = 1;
  ApplyBoilerplate(o, text, keys, {}, &out);
  EXPECT_EQ(out.find("Description"), std::string::npos);
  EXPECT_EQ(out.find("else:"), std::string::npos);
}

TEST(ApplyBoilerplate, LinesTheSiteRepeatsAreNotAnchors) {
  BoilerplateOptions o;
  o.min_words_after_removal = 0;
  const std::string p1 = "The only paragraph of this page is unique prose.";
  const std::string plea = "Subscribe to our newsletter for more news daily.";
  const std::string text = p1 + "\nShare\n" + plea;
  std::vector<uint64_t> keys = {Key("Share")};
  std::vector<uint64_t> repeated = {Key(plea)};
  std::string out;
  // The plea is an anchor: "Share" sits inside the article and stays.
  ApplyBoilerplate(o, text, keys, {}, &out);
  EXPECT_EQ(out, text);
  // The site repeats the plea (below the thresholds): not an anchor, so
  // "Share" is after the last anchor and goes; the plea itself stays.
  ApplyBoilerplate(o, text, keys, {}, &out, nullptr, repeated);
  EXPECT_EQ(out, p1 + "\n" + plea);
}

TEST(SiteGroupReducer, ReportsRepeatedLinesBelowTheThresholds) {
  BoilerplateOptions o;
  o.interior_long_min_docs = 0;  // weak decisions: the next test
  o.min_docs = 3;
  o.min_fraction = 0;
  o.min_docs_floor = 3;
  const uint64_t site = 100, line = 6, twice = 8, once = 10;
  std::vector<KeyRecord> recs;
  for (uint64_t t = 11; t <= 14; ++t) recs.push_back({site, kSiteDocsLine, t});
  for (uint64_t shard : {1, 3}) recs.push_back({site, kSiteShardLine, shard});
  for (uint64_t t : {11, 12, 13}) recs.push_back({site, line, t});
  for (uint64_t t : {11, 14}) recs.push_back({site, twice, t});
  recs.push_back({site, once, 12});
  std::vector<Decision> decisions, repeated;
  const uint64_t repeated_groups = ReduceWithRepeats(o, recs, &decisions, &repeated);
  EXPECT_EQ(decisions,
            (std::vector<Decision>{{1, site, line}, {3, site, line}}));
  EXPECT_EQ(repeated,
            (std::vector<Decision>{{1, site, twice}, {3, site, twice}}));
  EXPECT_EQ(repeated_groups, 1u);
}

// A long line decided on fewer than interior_long_min_docs pages is
// reported as repeated too (apply keeps it alone between anchors).
TEST(SiteGroupReducer, ReportsWeakLongDecisionsAsRepeated) {
  BoilerplateOptions o;
  o.min_docs = 3;
  o.min_fraction = 0;
  o.min_docs_floor = 3;
  o.interior_long_min_docs = 4;
  const uint64_t site = 100, weak = 6, strong = 8, weak_short = 11;
  ASSERT_FALSE(IsShortLineKey(weak));
  ASSERT_TRUE(IsShortLineKey(weak_short));
  std::vector<KeyRecord> recs;
  for (uint64_t t = 11; t <= 14; ++t) recs.push_back({site, kSiteDocsLine, t});
  recs.push_back({site, kSiteShardLine, 2});
  for (uint64_t t : {11, 12, 13}) recs.push_back({site, weak, t});
  for (uint64_t t : {11, 12, 13, 14}) recs.push_back({site, strong, t});
  for (uint64_t t : {11, 12, 13}) recs.push_back({site, weak_short, t});
  std::vector<Decision> decisions, repeated;
  ReduceWithRepeats(o, recs, &decisions, &repeated);
  EXPECT_EQ(decisions, (std::vector<Decision>{
                           {2, site, weak}, {2, site, strong}, {2, site, weak_short}}));
  EXPECT_EQ(repeated, (std::vector<Decision>{{2, site, weak}}));
}

TEST(ApplyBoilerplate, FlagsDocumentsLeftTooShort) {
  BoilerplateOptions o;
  o.min_words_after_removal = 5;
  std::vector<uint64_t> keys = {Key("Menu"), Key("Share")};
  std::sort(keys.begin(), keys.end());
  std::string out;
  ApplyResult r =
      ApplyBoilerplate(o, "Menu\nOnly four words here\nShare", keys, {}, &out);
  EXPECT_TRUE(r.too_short);
  EXPECT_EQ(out, "Only four words here");
  r = ApplyBoilerplate(o, "Menu\nShare", keys, {}, &out);
  EXPECT_TRUE(r.too_short);
  EXPECT_EQ(out, "");
  // Nothing removed: never too short, whatever the length.
  r = ApplyBoilerplate(o, "Tiny", keys, {}, &out);
  EXPECT_FALSE(r.too_short);
}

// A small corpus through the in-memory path: templates of a big site go,
// its content and a one-page site's lines stay, bad URLs are counted and
// untouched, quotes shared across sites stay.
TEST(InMemoryBoilerplate, EndToEndOnBadInput) {
  BoilerplateOptions o;
  o.min_docs = 5;
  o.min_fraction = 0.5;
  o.min_words_after_removal = 0;
  InMemoryBoilerplate bp(Psl().get(), o);
  std::vector<std::pair<std::string, std::string>> docs;
  const std::string quote = "\"We will rebuild the bridge,\" she said.";
  for (int i = 0; i < 20; ++i) {
    std::string host = i % 2 ? "https://WWW.Big.COM/" : "https://news.big.com/";
    docs.push_back({host + std::to_string(i),
                    "Big News\nPosted " + std::to_string(1 + i) +
                        " March 2021\nStory " + std::string(i + 1, 'z') +
                        " is unique.\n" + (i == 3 ? quote + "\n" : "") +
                        "© 20" + std::to_string(10 + i) + " Big"});
  }
  docs.push_back({"https://only.org/page", "Big News\nA lone page."});
  docs.push_back({"", "Big News\nNo URL here."});
  docs.push_back({"big.com/no-scheme", "Big News\nMalformed URL."});
  docs.push_back({"http://192.0.2.1/a", "IP site\n" + quote});
  docs.push_back({"http://192.0.2.1/b", "IP site\nOther text."});
  docs.push_back({"https://xn--bcher-kva.net/a", "Bücher\n" + quote});
  // Exact copies of one page on a small site count once: not boilerplate.
  docs.push_back({"https://copies.org/a", "Copied page\nSame words."});
  docs.push_back({"https://copies.org/a?utm=1", "Copied page\nSame words."});
  docs.push_back({"https://copies.org/b", "Another page\nOther words."});
  for (const auto& [url, text] : docs) bp.AddDocument(url, text);
  bp.Compute();
  EXPECT_EQ(bp.outcome_count(SiteOutcome::kNoUrl), 1u);
  EXPECT_EQ(bp.outcome_count(SiteOutcome::kMalformedUrl), 1u);
  EXPECT_EQ(bp.outcome_count(SiteOutcome::kIpAddress), 2u);

  std::string out;
  bp.Apply(docs[3].first, docs[3].second, &out);
  EXPECT_EQ(out, "Story zzzz is unique.\n" + quote);
  for (size_t i = 20; i < 23; ++i) {  // one-page site, no URL, malformed
    ApplyResult r = bp.Apply(docs[i].first, docs[i].second, &out);
    EXPECT_EQ(r.lines_removed, 0u) << i;
    EXPECT_EQ(out, docs[i].second);
  }
  // Two pages of the IP site share "IP site": fraction 1 -> removed.
  bp.Apply(docs[23].first, docs[23].second, &out);
  EXPECT_EQ(out, quote);
  for (size_t i = 25; i < docs.size(); ++i) {
    bp.Apply(docs[i].first, docs[i].second, &out);
    EXPECT_EQ(out, docs[i].second) << i;
  }
  EXPECT_EQ(bp.groups().size(), 4u);  // 3 templates of big.com + "IP site"
}

TEST(InMemoryBoilerplate, CrossSiteRemovalIsASeparateOption) {
  BoilerplateOptions o;
  o.min_words_after_removal = 0;
  o.cross_site = CrossSiteMode::kRemove;
  o.cross_site_min_sites = 3;
  InMemoryBoilerplate bp(Psl().get(), o);
  const std::string quote = "A quotation that outlets reprint.";
  for (int s = 0; s < 4; ++s) {
    bp.AddDocument("https://site" + std::to_string(s) + ".com/x",
                   "Own text " + std::string(s + 1, 'x') + "\n" + quote);
  }
  bp.Compute();
  ASSERT_EQ(bp.cross_site_keys().size(), 1u);
  std::string out;
  bp.Apply("https://site0.com/x", "Own text x\n" + quote, &out);
  EXPECT_EQ(out, "Own text x");
}

// A page of site A copied onto site B carries A's template: A's long
// boilerplate lines go on B too; A's short ones ("Home"), a line that only B
// holds and a quotation that sites share but none repeats stay.
TEST(InMemoryBoilerplate, PropagatesLongBoilerplateLinesToOtherSites) {
  BoilerplateOptions o;
  o.min_words_after_removal = 0;
  o.min_interior_run = 1;
  const std::string plea = "Subscribe to the Alpha Gazette for daily news.";
  const std::string quote = "A quotation that several outlets reprint today.";
  auto run = [&](uint32_t words, std::string* out, uint32_t home_docs = 5) {
    BoilerplateOptions opt = o;
    opt.propagate_edges = false;  // the rule for short lines: next test
    opt.propagate_min_words = words;
    opt.propagate_min_docs = home_docs;
    InMemoryBoilerplate bp(Psl().get(), opt);
    for (int i = 0; i < 5; ++i) {
      const std::string n(static_cast<size_t>(i) + 1, 'x');
      bp.AddDocument("https://alpha.com/" + n,
                     "Home\nArticle " + n + " of alpha.\n" + plea);
    }
    for (int i = 0; i < 4; ++i) {
      const std::string n = std::to_string(i);
      bp.AddDocument("https://q" + n + ".org/x", "Own " + n + "\n" + quote);
    }
    const std::string copy =
        "Home\nArticle x of alpha.\n" + plea + "\n" + quote;
    bp.AddDocument("https://beta.net/copy", copy);
    bp.Compute();
    bp.Apply("https://beta.net/copy", copy, out);
    return bp.propagated_keys().size();
  };
  std::string out;
  EXPECT_EQ(run(5, &out), 1u);  // the plea only: "Home" is short
  EXPECT_EQ(out, "Home\nArticle x of alpha.\n" + quote);
  EXPECT_EQ(run(0, &out), 0u);  // disabled: the copy is untouched
  EXPECT_EQ(out, "Home\nArticle x of alpha.\n" + plea + "\n" + quote);
  // Lines with fewer words than propagate_min_words stay.
  EXPECT_EQ(run(9, &out), 1u);
  EXPECT_EQ(out, "Home\nArticle x of alpha.\n" + plea + "\n" + quote);
  // A home site decision on fewer than propagate_min_docs pages stays home
  // (a quotation that near-duplicates put on 3 pages of a small site).
  EXPECT_EQ(run(4, &out, 6), 0u);
  EXPECT_EQ(out, "Home\nArticle x of alpha.\n" + plea + "\n" + quote);
}

// propagate_edges: a short line that site A decided on 5+ pages ("Alpha\n// News", "Share") is removed from a page of site B only around the article
// (before the first anchor, after the last), never between two anchors.
TEST(InMemoryBoilerplate, PropagatesShortLinesOnlyAroundTheArticle) {
  BoilerplateOptions o;
  o.min_words_after_removal = 0;
  const std::string body = "The council met on Monday to vote on the budget.";
  auto run = [&](bool edges, const std::string& copy) {
    BoilerplateOptions opt = o;
    opt.propagate_edges = edges;
    InMemoryBoilerplate bp(Psl().get(), opt);
    for (int i = 0; i < 5; ++i) {
      const std::string n(static_cast<size_t>(i) + 1, 'x');
      bp.AddDocument("https://alpha.com/" + n,
                     "Alpha News\nArticle " + n +
                         " of alpha with enough words here.\nShare");
    }
    bp.AddDocument("https://beta.net/copy", copy);
    bp.Compute();
    std::string out;
    bp.Apply("https://beta.net/copy", copy, &out);
    return out;
  };
  const std::string page = "Alpha News\n" + body + "\nShare\n" + body + "\nShare";
  EXPECT_EQ(run(true, page), body + "\nShare\n" + body);
  EXPECT_EQ(run(false, page), page);
  // A page without anchors keeps everything.
  EXPECT_EQ(run(true, "Alpha News\nShare"), "Alpha News\nShare");
  // A line without a letter never spreads (data, code): alpha decides "7".
  {
    BoilerplateOptions opt = o;
    InMemoryBoilerplate bp(Psl().get(), opt);
    for (int i = 0; i < 5; ++i) {
      const std::string n(static_cast<size_t>(i) + 1, 'x');
      bp.AddDocument("https://alpha.com/" + n,
                     "Article " + n + " of alpha with enough words here.\n7");
    }
    const std::string rows = body + "\n5\n6";
    bp.AddDocument("https://beta.net/rows", rows);
    bp.Compute();
    std::string out;
    bp.Apply("https://beta.net/rows", rows, &out);
    EXPECT_EQ(out, rows);
  }
}

// interior_long_min_docs: a long line decided on 3 pages of a small site
// (a quotation in near-copies of one article) stays alone between two
// anchors; the same line after the article goes; decided on 5+ pages it
// goes between anchors too.
TEST(InMemoryBoilerplate, WeakLongDecisionsStayBetweenAnchors) {
  BoilerplateOptions o;
  o.min_words_after_removal = 0;
  const std::string quote = "A quotation that the article prints in full here.";
  auto run = [&](uint32_t weak_below, int pages, const std::string& page) {
    BoilerplateOptions opt = o;
    opt.interior_long_min_docs = weak_below;
    opt.propagate_min_words = 0;
    InMemoryBoilerplate bp(Psl().get(), opt);
    for (int i = 0; i < pages; ++i) {
      const std::string n(static_cast<size_t>(i) + 1, 'x');
      bp.AddDocument("https://small.com/" + n,
                     "First paragraph " + n + " of this page here.\n" + quote +
                         "\nLast paragraph " + n + " of this page here.");
    }
    for (int i = 0; i < 12; ++i) {
      const std::string n(static_cast<size_t>(i) + 1, 'y');
      bp.AddDocument("https://small.com/o" + n, "Other page " + n + " text.");
    }
    bp.AddDocument("https://small.com/z", page);
    bp.Compute();
    std::string out;
    bp.Apply("https://small.com/z", page, &out);
    return out;
  };
  const std::string a = "Opening paragraph of the last page here.";
  const std::string b = "Closing paragraph of the last page here.";
  const std::string inside = a + "\n" + quote + "\n" + b;
  const std::string after = a + "\n" + b + "\n" + quote;
  EXPECT_EQ(run(5, 2, inside), inside);     // 3 of 15 pages: weak
  EXPECT_EQ(run(5, 2, after), a + "\n" + b);  // around the article: removed
  EXPECT_EQ(run(0, 2, inside), a + "\n" + b);  // rule off
  EXPECT_EQ(run(5, 4, inside), a + "\n" + b);  // 5 of 17 pages: strong
}

// keep_weak_on_foreign_copies: site beta prints a quotation in two of its
// own articles and on a copy of a page of site alpha, where the quotation
// is the last paragraph before alpha's template: 3 of 16 pages, a weak
// decision. On the copy (it starts with alpha's title and carries more of
// alpha's template than of beta's) the quotation stays; on beta's own page
// with the quotation after its article it goes.
TEST(InMemoryBoilerplate, KeepsWeakDecisionsOnCopiesOfAnotherSitesPage) {
  BoilerplateOptions o;
  o.min_words_after_removal = 0;
  const std::string quote = "A quotation that several articles print in full.";
  const std::string alpha_head = "Alpha Gazette\n\n";
  const std::string alpha_tail =
      "\n\nSupport independent journalism: subscribe to Alpha Gazette "
      "today!\n\nCopyright Alpha Gazette, all rights reserved here.";
  const std::string copy = alpha_head +
                           "Opening paragraph of the copied alpha article.\n\n" +
                           quote + alpha_tail;
  const std::string own_after =
      "Beta Daily\n\nOpening paragraph of a beta article here.\n\n" + quote +
      "\n\nThe Beta Daily footer line with several words.";
  auto run = [&](bool keep, const std::string& url, const std::string& page) {
    BoilerplateOptions opt = o;
    opt.keep_weak_on_foreign_copies = keep;
    InMemoryBoilerplate bp(Psl().get(), opt);
    for (int i = 0; i < 6; ++i) {
      const std::string n(static_cast<size_t>(i) + 1, 'x');
      bp.AddDocument("https://alpha.com/" + n,
                     alpha_head + "Alpha article " + n +
                         " with enough words in it." + alpha_tail);
    }
    // beta: 13 pages with its title and footer, two of its own articles
    // quote the line inside the article, the copy has it last.
    for (int i = 0; i < 11; ++i) {
      const std::string n(static_cast<size_t>(i) + 1, 'y');
      bp.AddDocument("https://beta.net/" + n,
                     "Beta Daily\n\nBeta article " + n +
                         " with enough words in it.\n\nThe Beta Daily footer "
                         "line with several words.");
    }
    for (const char* n : {"q1", "q2"}) {
      bp.AddDocument(std::string("https://beta.net/") + n,
                     std::string("Beta Daily\n\nFirst paragraph of ") + n +
                         " with enough words.\n\n" + quote +
                         "\n\nLast paragraph of " + n +
                         " with enough words.\n\nThe Beta Daily footer line "
                         "with several words.");
    }
    bp.AddDocument("https://beta.net/copy", copy);
    bp.AddDocument("https://beta.net/after", own_after);
    bp.Compute();
    std::string out;
    bp.Apply(url, page, &out);
    return out;
  };
  // The copy loses alpha's template (propagated) and keeps the quotation.
  EXPECT_EQ(run(true, "https://beta.net/copy", copy),
            "Opening paragraph of the copied alpha article.\n\n" + quote);
  EXPECT_EQ(run(false, "https://beta.net/copy", copy),
            "Opening paragraph of the copied alpha article.");
  // beta's own page: the weak decision after the article still goes.
  EXPECT_EQ(run(true, "https://beta.net/after", own_after),
            "Opening paragraph of a beta article here.");
}

// Runs `pages` (url suffix, text) of docs.example.org through the default
// options (changed by `change`) and returns the output of page `which`.
std::string ApplyOnDocsSite(
    const std::vector<std::pair<std::string, std::string>>& pages,
    size_t which, const std::function<void(BoilerplateOptions*)>& change) {
  BoilerplateOptions o;
  o.min_words_after_removal = 0;
  change(&o);
  InMemoryBoilerplate bp(Psl().get(), o);
  for (const auto& [path, text] : pages)
    bp.AddDocument("https://docs.example.org/" + path, text);
  bp.Compute();
  std::string out;
  bp.Apply("https://docs.example.org/" + pages[which].first,
           pages[which].second, &out);
  return out;
}

// code_lines_stay: a decided line without a letter (example output "2":
// numbers share one key) or an indented one (a code line) stays, even
// after the last anchor; a decided label with letters still goes.
TEST(InMemoryBoilerplate, CodeAndDataLinesStay) {
  std::vector<std::pair<std::string, std::string>> pages;
  for (int i = 0; i < 6; ++i) {
    const std::string n(static_cast<size_t>(i) + 1, 'x');
    pages.push_back({n, "Paragraph " + n + " explains the example in words.\n" +
                            std::to_string(i + 2) + "\n    try:\nShare"});
  }
  EXPECT_EQ(ApplyOnDocsSite(pages, 0, [](BoilerplateOptions*) {}),
            "Paragraph x explains the example in words.\n2\n    try:");
  EXPECT_EQ(ApplyOnDocsSite(pages, 0,
                            [](BoilerplateOptions* o) { o->code_lines_stay = false; }),
            "Paragraph x explains the example in words.");
}

// keep_enclosed_head_lines: before the first anchor, a short decided label
// after a kept line ("Source code: ..." then "Note") stays; at the top of
// the page it goes. Right after the last anchor, a decided heading over
// kept text to the end ("Examples" over code) stays; followed by another
// decided line ("Share") it goes.
TEST(InMemoryBoilerplate, KeepsLabelsBetweenKeptLinesAtThePageEdges) {
  std::vector<std::pair<std::string, std::string>> pages;
  for (int i = 0; i < 6; ++i) {
    const std::string n(static_cast<size_t>(i) + 1, 'x');
    pages.push_back(
        {n, "Source code: Lib/" + n + ".py\nNote\nThe module " + n +
                " does many useful things here.\nExamples\nselect " + n + ";"});
    pages.push_back({"t" + n, "Note\nThe page t" + n +
                                  " starts with a label here.\nExamples\n"
                                  "select t" + n + ";\nShare"});
    pages.push_back({"s" + n, "Share\nAnother page " + n + " of the site."});
  }
  auto defaults = [](BoilerplateOptions*) {};
  auto off = [](BoilerplateOptions* o) { o->keep_enclosed_head_lines = false; };
  EXPECT_EQ(ApplyOnDocsSite(pages, 0, defaults), pages[0].second);
  EXPECT_EQ(ApplyOnDocsSite(pages, 0, off),
            "Source code: Lib/x.py\nThe module x does many useful things "
            "here.\nselect x;");
  EXPECT_EQ(ApplyOnDocsSite(pages, 1, defaults),
            "The page tx starts with a label here.\nselect tx;");
}

// The generator's site-templates corpus through the default options: a
// regression guard for docs/BOILERPLATE.md's measurement (which
// boilerplate_eval reproduces at full size).
TEST(InMemoryBoilerplate, MeetsPrecisionOnGeneratedSites) {
  GenOptions g;
  g.seed = 11;
  g.num_docs = 6000;
  g.num_sites = 200;
  g.site_templates = true;
  g.debris_fraction = 0.7;
  g.junk_fraction = 0.05;
  g.near_dup_fraction = 0.05;
  g.exact_dup_fraction = 0.05;
  struct Doc {
    std::string url, text, roles;
  };
  std::vector<Doc> docs;
  simdjson::dom::parser parser;
  std::string pending;
  ASSERT_TRUE(
      GenerateCorpusWithTruth(
          g, [&](std::string_view d) { pending.assign(d); },
          [&](const GenTruth& t) {
            simdjson::dom::element e;
            std::string_view text, url;
            if (parser.parse(pending).get(e) || e["text"].get(text) ||
                e["metadata"]["url"].get(url)) {
              return;
            }
            docs.push_back({std::string(url), std::string(text), t.line_roles});
          })
          .ok());
  BoilerplateOptions o;
  InMemoryBoilerplate bp(Psl().get(), o);
  for (const Doc& d : docs) bp.AddDocument(d.url, d.text);
  bp.Compute();
  uint64_t tp = 0, fp = 0, fn = 0, quotes_removed = 0;
  std::string out;
  std::vector<std::string_view> removed;
  for (const Doc& d : docs) {
    removed.clear();
    bp.Apply(d.url, d.text, &out, &removed);
    std::vector<std::string_view> lines;
    for (size_t start = 0;;) {
      size_t nl = d.text.find('\n', start);
      lines.push_back(std::string_view(d.text).substr(start, nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    ASSERT_EQ(lines.size(), d.roles.size());
    size_t next = 0;
    for (size_t l = 0; l < lines.size(); ++l) {
      bool r = next < removed.size() && removed[next].data() == lines[l].data();
      next += r;
      char truth = SiteBoilerplateTruth(d.roles[l]);
      tp += r && truth == 'y';
      fp += r && truth == 'n';
      fn += !r && truth == 'y';
      quotes_removed += r && d.roles[l] == 'Q';
    }
    EXPECT_EQ(next, removed.size());
  }
  double precision = static_cast<double>(tp) / static_cast<double>(tp + fp);
  double recall = static_cast<double>(tp) / static_cast<double>(tp + fn);
  EXPECT_GE(precision, 0.995);
  EXPECT_GE(recall, 0.95);  // every template line, even those shown once
  EXPECT_EQ(quotes_removed, 0u);
}

TEST(SiteLineSet, FindsTheLinesOfASite) {
  SiteLineSet set;
  set.Add(5, 30);
  set.Add(3, 20);
  set.Add(5, 10);
  set.Add(5, 30);
  set.Seal();
  EXPECT_EQ(set.size(), 3u);
  auto lines = set.LinesOf(5);
  EXPECT_EQ(std::vector<uint64_t>(lines.begin(), lines.end()),
            (std::vector<uint64_t>{10, 30}));
  EXPECT_TRUE(set.LinesOf(4).empty());
}

}  // namespace
}  // namespace winnow::boilerplate
