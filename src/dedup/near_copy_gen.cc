#include "dedup/near_copy_gen.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace winnow::dedup {
namespace {

using Rng = std::mt19937_64;
using Paragraphs = std::vector<std::vector<int>>;  // word indexes

// Deterministic uniform double in [0, 1) (std::uniform_real_distribution
// is not specified bit for bit across standard libraries).
double Uniform(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
size_t Below(Rng& rng, size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); }

class Vocabulary {
 public:
  Vocabulary(int size, Rng& rng) {
    static const char kConsonants[] = "bcdfghjklmnprstvwz";
    static const char kVowels[] = "aeiou";
    words_.reserve(static_cast<size_t>(size));
    for (int i = 0; i < size; ++i) {
      std::string w;
      const size_t syllables = 1 + Below(rng, 3);
      for (size_t s = 0; s < syllables; ++s) {
        w += kConsonants[Below(rng, sizeof(kConsonants) - 1)];
        w += kVowels[Below(rng, sizeof(kVowels) - 1)];
      }
      if (Below(rng, 2)) w += kConsonants[Below(rng, sizeof(kConsonants) - 1)];
      words_.push_back(std::move(w));
    }
    // Zipf-like: P(rank r) proportional to 1 / (r + 10).
    cumulative_.reserve(words_.size());
    double sum = 0;
    for (size_t r = 0; r < words_.size(); ++r) cumulative_.push_back(sum += 1.0 / (r + 10.0));
  }
  int Draw(Rng& rng) const {
    const double u = Uniform(rng) * cumulative_.back();
    return static_cast<int>(std::lower_bound(cumulative_.begin(), cumulative_.end(), u) -
                            cumulative_.begin());
  }
  const std::string& word(int i) const { return words_[static_cast<size_t>(i)]; }

 private:
  std::vector<std::string> words_;
  std::vector<double> cumulative_;
};

std::string Render(const Paragraphs& paragraphs, const Vocabulary& vocab) {
  std::string out;
  for (const auto& p : paragraphs) {
    if (p.empty()) continue;
    if (!out.empty()) out += "\n\n";
    for (size_t i = 0; i < p.size(); ++i) {
      std::string w = vocab.word(p[i]);
      if (i == 0) w[0] = static_cast<char>(w[0] - 32);
      out += w;
      out += (i + 1 == p.size()) ? "." : (i % 11 == 10 ? ", " : " ");
    }
  }
  return out;
}

size_t CountWords(const Paragraphs& ps) {
  size_t n = 0;
  for (const auto& p : ps) n += p.size();
  return n;
}

// A random (paragraph, position) with position in [0, size] when `gap`,
// else in [0, size). REQUIRES: some paragraph is non-empty.
std::pair<size_t, size_t> RandomPlace(const Paragraphs& ps, Rng& rng, bool gap) {
  size_t total = CountWords(ps) + (gap ? ps.size() : 0);
  size_t k = Below(rng, total);
  for (size_t i = 0; i < ps.size(); ++i) {
    const size_t n = ps[i].size() + (gap ? 1 : 0);
    if (k < n) return {i, k};
    k -= n;
  }
  return {0, 0};
}

void Insert(Paragraphs* ps, size_t n, const Vocabulary& vocab, Rng& rng) {
  for (size_t i = 0; i < n; ++i) {
    auto [p, at] = RandomPlace(*ps, rng, true);
    (*ps)[p].insert((*ps)[p].begin() + static_cast<std::ptrdiff_t>(at), vocab.Draw(rng));
  }
}

void Delete(Paragraphs* ps, size_t n, Rng& rng) {
  for (size_t i = 0; i < n && CountWords(*ps) > 1; ++i) {
    auto [p, at] = RandomPlace(*ps, rng, false);
    (*ps)[p].erase((*ps)[p].begin() + static_cast<std::ptrdiff_t>(at));
  }
}

void Substitute(Paragraphs* ps, size_t n, const Vocabulary& vocab, Rng& rng) {
  for (size_t i = 0; i < n; ++i) {
    auto [p, at] = RandomPlace(*ps, rng, false);
    (*ps)[p][at] = vocab.Draw(rng);
  }
}

}  // namespace

const char* EditKindName(EditKind kind) {
  switch (kind) {
    case EditKind::kOriginal: return "original";
    case EditKind::kInsert: return "insert";
    case EditKind::kDelete: return "delete";
    case EditKind::kSubstitute: return "substitute";
    case EditKind::kReorder: return "reorder";
    case EditKind::kBoilerplate: return "boilerplate";
    case EditKind::kMixed: return "mixed";
  }
  return "?";
}

std::vector<NearCopyDoc> GenerateNearCopies(const NearCopyOptions& o) {
  Rng rng(o.seed);
  Vocabulary vocab(std::max(o.vocabulary, 100), rng);
  auto make_original = [&]() {
    const double scale = 0.7 + 0.6 * Uniform(rng);
    const size_t words = std::max<size_t>(1, static_cast<size_t>(o.words_per_doc * scale));
    const size_t np = static_cast<size_t>(std::max(o.paragraphs, 1));
    Paragraphs ps(np);
    for (size_t i = 0; i < words; ++i) ps[i * np / words].push_back(vocab.Draw(rng));
    return ps;
  };
  std::vector<Paragraphs> boilerplate;
  for (int b = 0; b < std::max(o.boilerplate_blocks, 1); ++b) {
    Paragraphs block(1);
    for (int i = 0; i < o.boilerplate_words; ++i) block[0].push_back(vocab.Draw(rng));
    boilerplate.push_back(std::move(block));
  }

  // families[f][c]
  std::vector<std::vector<NearCopyDoc>> families(static_cast<size_t>(std::max(o.families, 0)));
  static constexpr EditKind kKinds[] = {EditKind::kInsert,  EditKind::kDelete,
                                        EditKind::kSubstitute, EditKind::kReorder,
                                        EditKind::kBoilerplate, EditKind::kMixed};
  for (size_t f = 0; f < families.size(); ++f) {
    const Paragraphs original = make_original();
    const size_t words = CountWords(original);
    NearCopyDoc doc;
    doc.id = "f" + std::to_string(f) + "-0";
    doc.text = Render(original, vocab);
    doc.family = static_cast<int>(f);
    families[f].push_back(doc);
    for (int c = 1; c <= o.copies; ++c) {
      Paragraphs ps = original;
      NearCopyDoc v;
      v.id = "f" + std::to_string(f) + "-" + std::to_string(c);
      v.family = static_cast<int>(f);
      v.edit = kKinds[Below(rng, std::size(kKinds))];
      v.strength = Uniform(rng) * o.max_edit_fraction;
      const size_t n = static_cast<size_t>(std::lround(v.strength * static_cast<double>(words)));
      switch (v.edit) {
        case EditKind::kInsert:
          Insert(&ps, n, vocab, rng);
          break;
        case EditKind::kDelete:
          Delete(&ps, n, rng);
          break;
        case EditKind::kSubstitute:
          Substitute(&ps, n, vocab, rng);
          break;
        case EditKind::kReorder: {
          const size_t moves = std::max<size_t>(
              1, static_cast<size_t>(std::lround(v.strength * static_cast<double>(ps.size()))));
          for (size_t m = 0; m < moves; ++m) {
            const size_t from = Below(rng, ps.size());
            std::vector<int> p = std::move(ps[from]);
            ps.erase(ps.begin() + static_cast<std::ptrdiff_t>(from));
            ps.insert(ps.begin() + static_cast<std::ptrdiff_t>(Below(rng, ps.size() + 1)),
                      std::move(p));
          }
          break;
        }
        case EditKind::kBoilerplate: {
          const Paragraphs& block = boilerplate[Below(rng, boilerplate.size())];
          // Strength: the block's share of the words, capped by the block.
          const size_t take = std::min(block[0].size(), std::max<size_t>(n, 5));
          std::vector<int> b(block[0].begin(), block[0].begin() + static_cast<std::ptrdiff_t>(take));
          if (Below(rng, 2)) ps.insert(ps.begin(), b); else ps.push_back(b);
          v.strength = static_cast<double>(take) / static_cast<double>(words);
          break;
        }
        case EditKind::kMixed:
          Insert(&ps, n / 3, vocab, rng);
          Delete(&ps, n / 3, rng);
          Substitute(&ps, n - 2 * (n / 3), vocab, rng);
          break;
        case EditKind::kOriginal:
          break;
      }
      v.text = Render(ps, vocab);
      families[f].push_back(std::move(v));
    }
  }

  std::vector<NearCopyDoc> out;
  const size_t total = families.size() * static_cast<size_t>(o.copies + 1) +
                       static_cast<size_t>(std::max(o.singletons, 0));
  out.reserve(total);
  size_t singles_left = static_cast<size_t>(std::max(o.singletons, 0));
  size_t single_index = 0;
  auto add_single = [&]() {
    NearCopyDoc s;
    s.id = "s" + std::to_string(single_index++);
    s.text = Render(make_original(), vocab);
    out.push_back(std::move(s));
    --singles_left;
  };
  for (int c = 0; c <= o.copies; ++c) {
    for (auto& family : families) {
      out.push_back(std::move(family[static_cast<size_t>(c)]));
      if (singles_left > 0 && Below(rng, total) < static_cast<size_t>(o.singletons)) add_single();
    }
  }
  while (singles_left > 0) add_single();
  return out;
}

}  // namespace winnow::dedup
