#include "lang/language.h"

#include <algorithm>
#include <cmath>

#include "core/utf8.h"
#include "lang/cld2.h"
#include "lang/cld2_input.h"
#include "lang/fast_lid.h"

namespace winnow {
namespace {

constexpr std::string_view kUndetermined = "und";

// CLD2's criteria for a reliable summary language (compact_lang_det_impl.cc:
// kGoodFirstReliableMinPercent, kIgnoreMaxPercent).
constexpr int kReliableMinShare = 51;
constexpr int kReliableMaxUnattributed = 20;

// Maps a CLD2 language to the code we report (see language.h).
std::string_view CodeOf(CLD2::Language lang) {
  if (lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE)
    return kUndetermined;
  const char* raw = CLD2::LanguageCode(lang);
  if (raw == nullptr) return kUndetermined;
  std::string_view code(raw);
  // "xx-Latn" etc.: text in a script CLD2 has no language model for.
  if (code.empty() || code.starts_with("xx-")) return kUndetermined;
  // Joke and pseudo languages of CLD2's extended set (Bork bork, Pig Latin,
  // Hacker, Elmer Fudd, Klingon).
  if (code == "zzb" || code == "zzp" || code == "zzh" || code == "zze" ||
      code == "tlh")
    return kUndetermined;
  if (code == "iw") return "he";
  if (code == "jw") return "jv";
  // Regional variants: zh-Hant, sr-ME, pt-PT, pt-BR.
  const size_t dash = code.find('-');
  if (dash != std::string_view::npos) code = code.substr(0, dash);
  return code;
}

}  // namespace

LanguageIdentifier::LanguageIdentifier(LanguageIdOptions options)
    : options_(options) {
  options_.max_bytes =
      std::clamp<size_t>(options_.max_bytes, 1, size_t{1} << 30);
  options_.unreliable_factor = std::clamp(options_.unreliable_factor, 0.0, 1.0);
}

LanguageGuess LanguageIdentifier::Identify(std::string_view utf8_text) {
  last_stats_.fast_path = false;
  if (options_.fast_path) {
    const size_t prefix = Utf8PrefixLength(utf8_text, options_.max_bytes);
    const lang::FastLidResult fast =
        lang::FastIdentify(utf8_text.substr(0, prefix));
    if (fast.decided) {
      last_stats_.truncated = prefix < utf8_text.size();
      last_stats_.replaced = 0;
      last_stats_.fast_path = true;
      return LanguageGuess{std::string(fast.code), fast.share, true};
    }
  }
  const lang::Cld2Input input =
      lang::PrepareCld2Input(utf8_text, options_.max_bytes, &scratch_);
  last_stats_.truncated = input.truncated;
  last_stats_.replaced = input.replaced;

  LanguageGuess guess{std::string(kUndetermined), 0.0, false};
  if (input.text.empty()) return guess;

  CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING,
                          CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3];
  double normalized_score3[3];
  int text_bytes = 0;
  bool reliable = false;
  int valid_prefix_bytes = 0;
  const int length = static_cast<int>(input.text.size());
  const CLD2::Language summary = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      input.text.data(), length, /*is_plain_text=*/true, &hints, /*flags=*/0,
      language3, percent3, normalized_score3, /*resultchunkvector=*/nullptr,
      &text_bytes, &reliable, &valid_prefix_bytes);
  // PrepareCld2Input guarantees acceptance; stay safe if CLD2 disagrees.
  if (valid_prefix_bytes != length) return guess;

  std::string_view codes[3];
  int shares[3] = {0, 0, 0};
  int distinct = 0;
  for (int i = 0; i < 3; ++i) {
    const std::string_view code = CodeOf(language3[i]);
    if (code == kUndetermined || percent3[i] <= 0) continue;
    int k = 0;
    while (k < distinct && codes[k] != code) ++k;
    if (k == distinct) codes[distinct++] = code;
    shares[k] += percent3[i];
  }
  int best = -1;
  for (int k = 0; k < distinct; ++k) {
    if (best < 0 || shares[k] > shares[best]) best = k;
  }
  if (best < 0) return guess;

  guess.code.assign(codes[best]);
  if (CodeOf(summary) == codes[best]) {
    guess.reliable = reliable;
  } else {
    // CLD2 summarized as another language (its boilerplate heuristic) or as
    // unknown; its flag is about that choice. Apply the rule CLD2 uses for a
    // summary language to ours instead.
    const int unattributed =
        100 - (std::max(percent3[0], 0) + std::max(percent3[1], 0) +
               std::max(percent3[2], 0));
    guess.reliable = shares[best] >= kReliableMinShare &&
                     unattributed <= kReliableMaxUnattributed;
  }
  double score = std::min(shares[best], 100) / 100.0;
  if (!guess.reliable) score *= options_.unreliable_factor;
  guess.score = score;
  return guess;
}

std::string_view LanguageIdentifier::DetectorVersion() {
  // DetectLanguageVersion() formats into a static buffer on every call;
  // call it once.
  static const std::string* const version =
      new std::string(CLD2::DetectLanguageVersion());
  return *version;
}

double RoundLanguageScore(double score) {
  return std::round(score * 1e4) / 1e4;
}

}  // namespace winnow
