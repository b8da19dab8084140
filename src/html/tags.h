// HTML element names known to the parser and the extractor, with the
// properties the tree builder and the text writer need.
//
// Names are matched ASCII-case-insensitively; any other name maps to
// Tag::kUnknown (custom elements, SVG/MathML children, typos), which is
// treated as an inline container.
#ifndef WINNOW_HTML_TAGS_H_
#define WINNOW_HTML_TAGS_H_

#include <cstdint>
#include <string_view>

namespace winnow::html {

// X-macro: enumerator, name, property bits.
#define WINNOW_HTML_TAGS(X)                                         \
  X(kA, "a", kInline | kFormatting)                                 \
  X(kAbbr, "abbr", kInline)                                         \
  X(kAddress, "address", kBlock | kClosesP)                         \
  X(kApplet, "applet", kScope)                                      \
  X(kArea, "area", kVoid)                                           \
  X(kArticle, "article", kBlock | kClosesP)                         \
  X(kAside, "aside", kBlock | kClosesP)                             \
  X(kAudio, "audio", kInline)                                       \
  X(kB, "b", kInline | kFormatting)                                 \
  X(kBase, "base", kVoid)                                           \
  X(kBdi, "bdi", kInline)                                           \
  X(kBdo, "bdo", kInline)                                           \
  X(kBig, "big", kInline | kFormatting)                             \
  X(kBlockquote, "blockquote", kBlock | kClosesP)                   \
  X(kBody, "body", kBlock)                                          \
  X(kBr, "br", kVoid)                                               \
  X(kButton, "button", kInline)                                     \
  X(kCanvas, "canvas", kInline)                                     \
  X(kCaption, "caption", kBlock | kScope)                           \
  X(kCenter, "center", kBlock | kClosesP)                           \
  X(kCite, "cite", kInline)                                         \
  X(kCode, "code", kInline | kFormatting)                           \
  X(kCol, "col", kVoid)                                             \
  X(kColgroup, "colgroup", kBlock)                                  \
  X(kData, "data", kInline)                                         \
  X(kDatalist, "datalist", kInline)                                 \
  X(kDd, "dd", kBlock)                                              \
  X(kDel, "del", kInline)                                           \
  X(kDetails, "details", kBlock | kClosesP)                         \
  X(kDfn, "dfn", kInline)                                           \
  X(kDialog, "dialog", kBlock | kClosesP)                           \
  X(kDir, "dir", kBlock | kClosesP)                                 \
  X(kDiv, "div", kBlock | kClosesP)                                 \
  X(kDl, "dl", kBlock | kClosesP)                                   \
  X(kDt, "dt", kBlock)                                              \
  X(kEm, "em", kInline | kFormatting)                               \
  X(kEmbed, "embed", kVoid)                                         \
  X(kFieldset, "fieldset", kBlock | kClosesP)                       \
  X(kFigcaption, "figcaption", kBlock | kClosesP)                   \
  X(kFigure, "figure", kBlock | kClosesP)                           \
  X(kFont, "font", kInline | kFormatting)                           \
  X(kFooter, "footer", kBlock | kClosesP)                           \
  X(kForm, "form", kBlock | kClosesP)                               \
  X(kFrame, "frame", kVoid)                                         \
  X(kFrameset, "frameset", kBlock)                                  \
  X(kH1, "h1", kBlock | kClosesP | kHeading)                        \
  X(kH2, "h2", kBlock | kClosesP | kHeading)                        \
  X(kH3, "h3", kBlock | kClosesP | kHeading)                        \
  X(kH4, "h4", kBlock | kClosesP | kHeading)                        \
  X(kH5, "h5", kBlock | kClosesP | kHeading)                        \
  X(kH6, "h6", kBlock | kClosesP | kHeading)                        \
  X(kHead, "head", kBlock)                                          \
  X(kHeader, "header", kBlock | kClosesP)                           \
  X(kHgroup, "hgroup", kBlock | kClosesP)                           \
  X(kHr, "hr", kVoid | kClosesP)                                    \
  X(kHtml, "html", kBlock | kScope)                                 \
  X(kI, "i", kInline | kFormatting)                                 \
  X(kIframe, "iframe", kRawText)                                    \
  X(kImg, "img", kVoid)                                             \
  X(kInput, "input", kVoid)                                         \
  X(kIns, "ins", kInline)                                           \
  X(kKbd, "kbd", kInline)                                           \
  X(kKeygen, "keygen", kVoid)                                       \
  X(kLabel, "label", kInline)                                       \
  X(kLegend, "legend", kBlock)                                      \
  X(kLi, "li", kBlock)                                              \
  X(kLink, "link", kVoid)                                           \
  X(kListing, "listing", kBlock | kClosesP)                         \
  X(kMain, "main", kBlock | kClosesP)                               \
  X(kMap, "map", kInline)                                           \
  X(kMark, "mark", kInline)                                         \
  X(kMarquee, "marquee", kBlock | kScope)                           \
  X(kMath, "math", kInline)                                         \
  X(kMenu, "menu", kBlock | kClosesP)                               \
  X(kMeta, "meta", kVoid)                                           \
  X(kMeter, "meter", kInline)                                       \
  X(kNav, "nav", kBlock | kClosesP)                                 \
  X(kNobr, "nobr", kInline | kFormatting)                           \
  X(kNoembed, "noembed", kRawText)                                  \
  X(kNoframes, "noframes", kRawText)                                \
  X(kNoscript, "noscript", kRawText)                                \
  X(kObject, "object", kScope)                                      \
  X(kOl, "ol", kBlock | kClosesP)                                   \
  X(kOptgroup, "optgroup", kBlock)                                  \
  X(kOption, "option", kBlock)                                      \
  X(kOutput, "output", kInline)                                     \
  X(kP, "p", kBlock | kClosesP)                                     \
  X(kParam, "param", kVoid)                                         \
  X(kPicture, "picture", kInline)                                   \
  X(kPlaintext, "plaintext", kBlock | kClosesP)                     \
  X(kPre, "pre", kBlock | kClosesP)                                 \
  X(kProgress, "progress", kInline)                                 \
  X(kQ, "q", kInline)                                               \
  X(kRp, "rp", kInline)                                             \
  X(kRt, "rt", kInline)                                             \
  X(kRuby, "ruby", kInline)                                         \
  X(kS, "s", kInline | kFormatting)                                 \
  X(kSamp, "samp", kInline)                                         \
  X(kScript, "script", kRawText)                                    \
  X(kSearch, "search", kBlock | kClosesP)                           \
  X(kSection, "section", kBlock | kClosesP)                         \
  X(kSelect, "select", kInline)                                     \
  X(kSmall, "small", kInline | kFormatting)                         \
  X(kSource, "source", kVoid)                                       \
  X(kSpan, "span", kInline)                                         \
  X(kStrike, "strike", kInline | kFormatting)                       \
  X(kStrong, "strong", kInline | kFormatting)                       \
  X(kStyle, "style", kRawText)                                      \
  X(kSub, "sub", kInline)                                           \
  X(kSummary, "summary", kBlock | kClosesP)                         \
  X(kSup, "sup", kInline)                                           \
  X(kSvg, "svg", kInline)                                           \
  X(kTable, "table", kBlock | kClosesP | kScope)                    \
  X(kTbody, "tbody", kBlock)                                        \
  X(kTd, "td", kBlock | kScope)                                     \
  X(kTemplate, "template", kBlock | kScope)                         \
  X(kTextarea, "textarea", kRawText | kEscapable)                   \
  X(kTfoot, "tfoot", kBlock)                                        \
  X(kTh, "th", kBlock | kScope)                                     \
  X(kThead, "thead", kBlock)                                        \
  X(kTime, "time", kInline)                                         \
  X(kTitle, "title", kRawText | kEscapable)                         \
  X(kTr, "tr", kBlock)                                              \
  X(kTrack, "track", kVoid)                                         \
  X(kTt, "tt", kInline | kFormatting)                               \
  X(kU, "u", kInline | kFormatting)                                 \
  X(kUl, "ul", kBlock | kClosesP)                                   \
  X(kVar, "var", kInline)                                           \
  X(kVideo, "video", kInline)                                       \
  X(kWbr, "wbr", kVoid)                                             \
  X(kXmp, "xmp", kRawText | kClosesP)

// Property bits.
enum TagProps : uint16_t {
  kInline = 1 << 0,      // phrasing content: no line break around it
  kBlock = 1 << 1,       // starts a new block of text
  kVoid = 1 << 2,        // never has children (<br>, <img>, ...)
  kRawText = 1 << 3,     // content is text up to the matching end tag
  kEscapable = 1 << 4,   // raw text in which character references count
  kClosesP = 1 << 5,     // its start tag closes an open <p>
  kScope = 1 << 6,       // end-tag searches stop here (tables, cells, ...)
  kFormatting = 1 << 7,  // end tag ignored when a block sits above it
  kHeading = 1 << 8,     // h1..h6
};

enum class Tag : uint8_t {
  kDocument = 0,  // the root node
  kText,          // a text node
  kUnknown,       // an element with a name not listed here
#define WINNOW_HTML_TAG_ENUM(e, n, p) e,
  WINNOW_HTML_TAGS(WINNOW_HTML_TAG_ENUM)
#undef WINNOW_HTML_TAG_ENUM
      kCount
};

inline constexpr int kNumTags = static_cast<int>(Tag::kCount);

// Properties of `tag` (0 for kDocument and kText; kInline for kUnknown).
uint16_t TagProperties(Tag tag);

inline bool HasProp(Tag tag, uint16_t prop) {
  return (TagProperties(tag) & prop) != 0;
}

// Looks up an element name, ASCII case-insensitively. Returns kUnknown for
// names not in the table.
Tag LookupTag(std::string_view name);

// The lower-case name of `tag` ("" for kDocument, kText, kUnknown).
std::string_view TagName(Tag tag);

}  // namespace winnow::html

#endif  // WINNOW_HTML_TAGS_H_
