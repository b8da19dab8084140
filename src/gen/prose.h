// News-like prose from the generator's word model: names built from
// syllables, headlines, sentences (8-30 words) and paragraphs (2-6
// sentences) with quotes, numbers and dates.
//
// Everything is a pure function of the Rng state passed in. Not thread-safe
// per object; distinct objects may be used from distinct threads.
#ifndef WINNOW_GEN_PROSE_H_
#define WINNOW_GEN_PROSE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "gen/rng.h"

namespace winnow::gen {

// One block of an article: a paragraph or a subheading line.
struct Block {
  std::string text;
  bool subhead = false;
  // Byte offsets in `text` just past each sentence's terminal punctuation
  // (and closing quote), in order; empty for subheadings.
  std::vector<uint32_t> sentence_ends;
  int words = 0;
};

// An article: headline, then blocks. Its canonical text (see Text()) is the
// headline and the blocks joined by blank lines.
//
// Buffers are reused across Clear() calls, so generating many articles into
// one object allocates little.
struct Article {
  std::string headline;
  std::vector<Block> blocks;  // only the first num_blocks are valid
  size_t num_blocks = 0;
  int topic = 0;

  void Clear() {
    headline.clear();
    num_blocks = 0;
  }
  Block& AddBlock() {
    if (num_blocks == blocks.size()) blocks.emplace_back();
    Block& b = blocks[num_blocks++];
    b.text.clear();
    b.subhead = false;
    b.sentence_ends.clear();
    b.words = 0;
    return b;
  }
  // Appends the canonical text: headline + "\n\n" + blocks joined by "\n\n".
  void AppendText(std::string* out) const;
  int Words() const;
};

// Content that text cleaners must not break, produced on purpose.
enum class Special : uint8_t {
  kUsAbbreviation,  // "the U.S. government"
  kEg,              // "(e.g. buses and trams)"
  kDecimal,         // "3.5 percent", "$1.2 billion"
  kDomain,          // "varnora.org"
  kInitials,        // "J. R. Telvan"
  kRepetition,      // "very, very"
  kProduct,         // "iPhone", "eKarol"
  kAmpersand,       // "Darov & Milen"
  kCount,
};

struct ArticleOptions {
  // 0 = natural length (3-12 paragraphs); else stop adding sentences once the
  // article text reaches about this many bytes (default 0).
  int target_bytes = 0;
  // Include every Special at least once, two or more subheadings, curly
  // quotes, apostrophes and an ampersand (default false; used by the
  // seed-like page).
  bool force_specials = false;
};

// Writes a fresh article (new topic, people, organizations, places) into
// `article`, replacing its contents.
void WriteArticle(Rng& rng, const ArticleOptions& options, Article* article);

// A capitalized name of `syllables` syllables built from the generator's own
// syllable inventory, e.g. "Darovan".
std::string MakeName(Rng& rng, int syllables);

// Appends n with thousands separators: 2300 -> "2,300".
void AppendThousands(int64_t n, std::string* out);

// Appends one standalone sentence (8-30 words, terminal punctuation) on a
// random topic; used by junk pages and near-copy edits.
void AppendSentence(Rng& rng, std::string* out);

// Short, low-content phrase for menus and keyword lists, e.g. "local news".
std::string KeywordPhrase(Rng& rng);

}  // namespace winnow::gen

#endif  // WINNOW_GEN_PROSE_H_
