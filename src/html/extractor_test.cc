#include "html/extractor.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "html/html_steps.h"
#include "winnow/step.h"

namespace winnow::html {
namespace {

// A made-up news page: site chrome around an article of several paragraphs.
std::string Page(std::string_view article_body, std::string_view extra_head = "") {
  std::string html =
      "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
      "<title>Harbour ferry returns | Coastal Times</title>"
      "<link rel=\"canonical\" href=\"https://news.example/ferry\">"
      "<meta name=\"author\" content=\"Ada Marsh\">"
      "<meta property=\"article:published_time\" content=\"2024-03-05T08:00:00Z\">";
  html += extra_head;
  html +=
      "</head><body>"
      "<header><a href=\"/\">Coastal Times</a><nav><ul><li><a href=\"/a\">Home</a></li>"
      "<li><a href=\"/b\">Politics</a></li><li><a href=\"/c\">Sport</a></li></ul></nav></header>"
      "<div class=\"layout\"><div class=\"article-body\"><h1>Harbour ferry returns</h1>";
  html += article_body;
  html +=
      "</div><aside class=\"sidebar\"><h3>Most read</h3><ul>"
      "<li><a href=\"/x\">Seagulls form a union and demand chips</a></li>"
      "<li><a href=\"/y\">Lighthouse keeper retires after forty years</a></li></ul></aside>"
      "<div class=\"share-tools\">Share this on every network you know</div>"
      "<div id=\"comments\"><p>First comment, written by someone with opinions, "
      "many opinions, about ferries.</p></div></div>"
      "<footer><p>Copyright Coastal Times, all rights reserved.</p></footer>"
      "</body></html>";
  return html;
}

constexpr std::string_view kParagraphs =
    "<p>The little ferry that links the two halves of the harbour is running again, "
    "after a winter of repairs to its engine, its ramp and its famously loud horn.</p>"
    "<p>Passengers queued from early morning, some with bicycles, some with dogs, and one "
    "with a tuba, to be among the first to cross since the autumn storms.</p>"
    "<p>The operator said the timetable would return to normal, with crossings every "
    "twenty minutes, and that fares would stay the same until the summer.</p>";

ExtractResult ExtractPage(std::string_view html, ExtractOptions options = ExtractOptions()) {
  Extractor extractor(options);
  ExtractResult result;
  EXPECT_TRUE(extractor.Extract(html, &result).ok());
  return result;
}

TEST(Extractor, KeepsArticleParagraphsAsSeparateBlocks) {
  ExtractResult r = ExtractPage(Page(kParagraphs));
  EXPECT_NE(r.text.find("The little ferry that links"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("loud horn.\n\nPassengers queued"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("until the summer."), std::string::npos) << r.text;
}

TEST(Extractor, LeavesOutNavigationSidebarCommentsShareAndFooter) {
  ExtractResult r = ExtractPage(Page(kParagraphs));
  for (const char* boilerplate : {"Politics", "Seagulls", "Most read", "Share this",
                                  "First comment", "Copyright", "Coastal Times"}) {
    EXPECT_EQ(r.text.find(boilerplate), std::string::npos) << boilerplate << "\n" << r.text;
  }
}

TEST(Extractor, HeadlineGoesToMetadataNotText) {
  ExtractResult r = ExtractPage(Page(kParagraphs));
  EXPECT_EQ(r.text.find("Harbour ferry returns"), std::string::npos);
  EXPECT_EQ(r.title, "Harbour ferry returns | Coastal Times");
}

TEST(Extractor, ExtractsMetadata) {
  ExtractResult r = ExtractPage(Page(kParagraphs));
  EXPECT_EQ(r.date, "2024-03-05T08:00:00Z");
  EXPECT_EQ(r.author, "Ada Marsh");
  EXPECT_EQ(r.canonical_url, "https://news.example/ferry");
  EXPECT_EQ(r.declared_language, "en-GB");
}

TEST(Extractor, PrefersOpenGraphTitleAndReadsJsonLd) {
  std::string head =
      "<meta property=\"og:title\" content=\"Ferry back in service\">"
      "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
      "\"datePublished\":\"2024-03-04\",\"author\":{\"@type\":\"Person\",\"name\":\"B. Keel\"}}"
      "</script>";
  std::string html = Page(kParagraphs, head);
  ExtractResult r = ExtractPage(html);
  EXPECT_EQ(r.title, "Ferry back in service");
  EXPECT_EQ(r.date, "2024-03-05T08:00:00Z");  // the meta tag comes first
  EXPECT_EQ(r.author, "Ada Marsh");
  std::string no_meta = html;
  no_meta.erase(no_meta.find("<meta name=\"author\""), std::string("<meta name=\"author\" content=\"Ada Marsh\">").size());
  EXPECT_EQ(ExtractPage(no_meta).author, "B. Keel");
}

TEST(Extractor, ListItemsOnTheirOwnLines) {
  std::string body = std::string(kParagraphs) +
                     "<p>The repairs, according to the operator, included:</p>"
                     "<ul><li>a rebuilt diesel engine</li><li>a new loading ramp</li>"
                     "<li>a quieter horn</li></ul>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_NE(r.text.find("- a rebuilt diesel engine\n- a new loading ramp\n- a quieter horn"),
            std::string::npos)
      << r.text;
}

TEST(Extractor, TablesBecomeRowsOfCells) {
  std::string body = std::string(kParagraphs) +
                     "<table><tr><th>Route</th><th>Minutes</th></tr>"
                     "<tr><td>North quay</td><td>7</td></tr>"
                     "<tr><td>South quay</td><td>9</td></tr></table>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_NE(r.text.find("Route | Minutes\nNorth quay | 7\nSouth quay | 9"), std::string::npos)
      << r.text;
}

TEST(Extractor, PreformattedBlocksKeepTheirLayout) {
  std::string body = std::string(kParagraphs) + "<pre>depart  07:00\n  arrive  07:07</pre>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_NE(r.text.find("depart  07:00\n  arrive  07:07"), std::string::npos) << r.text;
}

TEST(Extractor, BlockquoteIsItsOwnBlock) {
  std::string body = std::string(kParagraphs) +
                     "<blockquote>It is the best commute in the whole country, honestly.</blockquote>"
                     "<p>Said one regular passenger, who has crossed daily for a decade or more.</p>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_NE(r.text.find("\n\nIt is the best commute in the whole country, honestly.\n\n"),
            std::string::npos)
      << r.text;
}

TEST(Extractor, MarkdownFormatMarksStructure) {
  std::string body = std::string(kParagraphs) + "<h2>Timetable</h2><ul><li>early</li><li>late</li></ul>" +
                     "<blockquote>Quoted words from a passenger.</blockquote>" +
                     "<table><tr><th>Quay</th><th>Minutes</th></tr><tr><td>North quay</td><td>7</td></tr></table>" +
                     "<pre>x = 1</pre>";
  ExtractOptions options;
  options.format = OutputFormat::kMarkdown;
  ExtractResult r = ExtractPage(Page(body), options);
  EXPECT_NE(r.text.find("## Timetable"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("- early\n- late"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("> Quoted words"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("| Quay | Minutes |\n| --- | --- |\n| North quay | 7 |"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("```\nx = 1\n```"), std::string::npos) << r.text;
}

TEST(Extractor, HiddenElementsAreLeftOut) {
  std::string body = std::string(kParagraphs) +
                     "<div style=\"display: none\">Invisible promotional words here.</div>"
                     "<p hidden>Also hidden from readers entirely.</p>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_EQ(r.text.find("Invisible"), std::string::npos);
  EXPECT_EQ(r.text.find("Also hidden"), std::string::npos);
}

TEST(Extractor, CookieBannerAndFormsAreLeftOut) {
  std::string html = Page(kParagraphs);
  html.insert(html.find("<header>"),
              "<div class=\"cookie-consent\">We use cookies to improve your experience on "
              "this website, please accept them all.</div><form><input name=q>"
              "<button>Search</button></form>");
  ExtractResult r = ExtractPage(html);
  EXPECT_EQ(r.text.find("cookies"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("Search"), std::string::npos) << r.text;
}

TEST(Extractor, LayoutWrapperWithBoilerplateNameIsNotDropped) {
  std::string html = "<html><body><div class=\"page has-sidebar\"><div class=\"story\">" +
                     std::string(kParagraphs) + "</div></div></body></html>";
  ExtractResult r = ExtractPage(html);
  EXPECT_NE(r.text.find("The little ferry"), std::string::npos) << r.text;
}

TEST(Extractor, ShortPageStillYieldsItsText) {
  ExtractResult r = ExtractPage("<html><body><p>Closed today.</p></body></html>");
  EXPECT_EQ(r.text, "Closed today.");
}

TEST(Extractor, PageWithoutTextYieldsNothing) {
  EXPECT_EQ(ExtractPage("<html><head><title>t</title></head><body><img src=x><script>var a;</script></body></html>")
                .text,
            "");
  EXPECT_EQ(ExtractPage("").text, "");
}

TEST(Extractor, HostileInputsNeverCrash) {
  std::vector<std::string> inputs;
  inputs.push_back(std::string(1000000, '<'));
  std::string deep;
  for (int i = 0; i < 1000000; ++i) deep += "<div>";
  deep += "bottom text with enough words to matter, surely, yes";
  inputs.push_back(deep);
  std::string unclosed;
  for (int i = 0; i < 100000; ++i) unclosed += "<p><b><i><a href=x>w ";
  inputs.push_back(unclosed);
  inputs.push_back("<div class=\"" + std::string(10 << 20, 'a') + "\">x</div>");
  std::mt19937 rng(3);
  std::string binary(1 << 20, '\0');
  for (char& c : binary) c = static_cast<char>(rng());
  inputs.push_back(binary);
  Extractor extractor;
  ExtractResult r;
  for (const std::string& in : inputs) ASSERT_TRUE(extractor.Extract(in, &r).ok());
}

TEST(Extractor, InputBeyondLimitIsTruncated) {
  ExtractOptions options;
  options.max_input_bytes = 100;
  ExtractResult r = ExtractPage(Page(kParagraphs), options);
  EXPECT_TRUE(r.truncated);
}

TEST(Extractor, ReusedInstanceGivesSameResult) {
  Extractor extractor;
  ExtractResult a, b;
  ASSERT_TRUE(extractor.Extract(Page(kParagraphs), &a).ok());
  ASSERT_TRUE(extractor.Extract("<p>other page entirely, with its own words</p>", &b).ok());
  ASSERT_TRUE(extractor.Extract(Page(kParagraphs), &b).ok());
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.title, b.title);
}

bool Has(const ExtractResult& r, std::string_view s) {
  return r.text.find(s) != std::string::npos;
}

// Paragraphs of an article in German, long enough to be chosen.
constexpr std::string_view kGermanParagraphs =
    "<p>Die kleine F\xc3\xa4hre, die beide H\xc3\xa4lften des Hafens verbindet, f\xc3\xa4hrt wieder, "
    "nachdem Motor, Rampe und das ber\xc3\xbchmte laute Horn den Winter \xc3\xbc" "ber repariert "
    "wurden.</p>"
    "<p>Fahrg\xc3\xa4ste standen seit dem fr\xc3\xbchen Morgen an, manche mit Fahrr\xc3\xa4" "dern, "
    "manche mit Hunden, und einer mit einer Tuba, um als Erste \xc3\xbc" "berzusetzen.</p>"
    "<p>Der Betreiber sagte, der Fahrplan kehre zur Normalit\xc3\xa4t zur\xc3\xbc" "ck, mit "
    "Abfahrten alle zwanzig Minuten, und die Preise blieben bis zum Sommer gleich.</p>";

TEST(Extractor, ArticleHeaderKeepsItsLeadButNotItsByline) {
  std::string body =
      "<article><header><h1>F\xc3\xa4hre f\xc3\xa4hrt wieder</h1>"
      "<p class=\"kicker\">Hafen</p>"
      "<p>Nach einem Winter in der Werft ist die Hafenf\xc3\xa4hre zur\xc3\xbc" "ck im Dienst, "
      "zur Freude der Pendler.</p>"
      "<div>Von Ada Marsh</div></header>" +
      std::string(kGermanParagraphs) + std::string(kParagraphs) + "</article>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_TRUE(Has(r, "Nach einem Winter in der Werft")) << r.text;
  EXPECT_FALSE(Has(r, "Von Ada Marsh")) << r.text;
  EXPECT_FALSE(Has(r, "Hafen\n")) << r.text;
  EXPECT_TRUE(Has(r, "The little ferry")) << r.text;
}

TEST(Extractor, HeaderNamedForTheArticleIsNotBoilerplate) {
  std::string html =
      "<html><body><header class=\"site-header\"><a href=\"/\">Coastal Times</a> "
      "<span>The daily paper of the coast since 1901</span></header>"
      "<div class=\"layout\"><div class=\"article-header\"><p>A lead paragraph that sums up "
      "the story of the ferry for readers in a hurry, in one sentence.</p></div>"
      "<div class=\"article-body\">" +
      std::string(kParagraphs) + "</div></div></body></html>";
  ExtractResult r = ExtractPage(html);
  EXPECT_TRUE(Has(r, "A lead paragraph that sums up")) << r.text;
  EXPECT_FALSE(Has(r, "daily paper of the coast")) << r.text;
}

TEST(Extractor, PageBuilderWidgetsAreNotBoilerplate) {
  std::string html =
      "<html><body><div class=\"elementor-widget-wrap\"><div class=\"elementor-element "
      "elementor-widget elementor-widget-text-editor\"><div class=\"elementor-widget-container\">" +
      std::string(kParagraphs) + "</div></div></div></body></html>";
  ExtractResult r = ExtractPage(html);
  EXPECT_TRUE(Has(r, "The little ferry")) << r.text;
  EXPECT_FALSE(r.used_fallback);
}

TEST(Extractor, HiddenOnSomeScreensOrHiddenLabelIsNotBoilerplate) {
  std::string body = std::string(kParagraphs) +
                     "<div class=\"hidden-xs\"><p>Shown on large screens: a paragraph that "
                     "belongs to the article and continues its story.</p></div>"
                     "<div class=\"field field--label-hidden\"><p>A field whose label is hidden, "
                     "while its text is plain to see for every reader.</p></div>"
                     "<div class=\"is-hidden\"><p>Hidden text that no reader ever sees on any "
                     "screen.</p></div>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_TRUE(Has(r, "Shown on large screens")) << r.text;
  EXPECT_TRUE(Has(r, "A field whose label is hidden")) << r.text;
  EXPECT_FALSE(Has(r, "no reader ever sees")) << r.text;
}

TEST(Extractor, RetryIgnoresBoilerplateNamesButKeepsOtherRules) {
  // The article's only wrapper has a boilerplate name and less than 40% of
  // the page's text: the first pass finds nothing, the retry with such
  // names ignored finds it and still drops the complementary box.
  std::string links;
  for (int i = 0; i < 80; ++i) links += "<li><a href=\"/s\">Section number " + std::to_string(i) + "</a></li>";
  std::string html = "<html><body><nav><ul>" + links +
                     "</ul></nav><div class=\"sidebar-box\">" + std::string(kParagraphs) +
                     "<div role=\"complementary\"><p>Boxed aside text that a reader skips "
                     "entirely, every single time, without regret.</p></div></div></body></html>";
  ExtractResult r = ExtractPage(html);
  EXPECT_TRUE(r.used_fallback);
  EXPECT_TRUE(Has(r, "The little ferry")) << r.text;
  EXPECT_FALSE(Has(r, "Boxed aside text")) << r.text;
  EXPECT_FALSE(Has(r, "Section number")) << r.text;
}

TEST(Extractor, FurnitureLinesAreLeftOut) {
  std::string body = std::string(kParagraphs) +
                     "<p>Lesen Sie auch: <a href=\"/x\">Neue Br\xc3\xbc" "cke f\xc3\xbcr den Hafen</a></p>"
                     "<p>Foto: Hafenamt / dpa</p><p>- Anzeige -</p>"
                     "<p>Read more: <a href=\"/y\">Lighthouse keeper retires</a></p>"
                     "<h3>Das k\xc3\xb6nnte Sie auch interessieren</h3>"
                     "<p>Subscribe now to our weekly edition for the full story.</p>"
                     "<p>\xc2\xa9 2024 Coastal Times. All rights reserved.</p>"
                     "<h3>Schreibe einen Kommentar</h3><p>Zur\xc3\xbc" "ck zur \xc3\x9c" "bersicht</p>"
                     "<p>Werbung nervt, sagen viele Fahrg\xc3\xa4ste, und die F\xc3\xa4hre zeigt "
                     "keine.</p>";
  ExtractResult r = ExtractPage(Page(body));
  for (const char* furniture : {"Lesen Sie auch", "Foto:", "Anzeige", "Read more",
                                "interessieren", "Subscribe now", "rights reserved",
                                "Kommentar", "bersicht"}) {
    EXPECT_FALSE(Has(r, furniture)) << furniture << "\n" << r.text;
  }
  EXPECT_TRUE(Has(r, "Werbung nervt, sagen viele")) << r.text;
}

TEST(Extractor, DateLinesAreLeftOutButSentencesWithDatesStay) {
  std::string body = "<p>Dienstag, 3. M\xc3\xa4rz 2020, 14:05 Uhr</p><div>05.03.2024</div>" +
                     std::string(kParagraphs) +
                     "<p>Am 3. M\xc3\xa4rz 2020 begann die Reparatur des Motors in der Werft.</p>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_FALSE(Has(r, "14:05")) << r.text;
  EXPECT_FALSE(Has(r, "05.03.2024")) << r.text;
  EXPECT_TRUE(Has(r, "Am 3. M\xc3\xa4rz 2020 begann")) << r.text;
}

TEST(Extractor, ParagraphThatIsOneShortLinkIsATeaser) {
  std::string body = std::string(kParagraphs) +
                     "<p><a href=\"/z\">Seagulls form a union and demand chips</a></p>"
                     "<p>The mayor, <a href=\"/m\">Jo Pike</a>, rode the first crossing and "
                     "declared the harbour open again.</p>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_FALSE(Has(r, "Seagulls")) << r.text;
  EXPECT_TRUE(Has(r, "The mayor, Jo Pike, rode")) << r.text;
}

TEST(Extractor, BlockWithPicturesAndTextIsNoGallery) {
  std::string body = std::string(kParagraphs) +
                     "<div><img src=a.jpg><img src=b.jpg><img src=c.jpg>Between the pictures the "
                     "writer explains the ferry's new engine at length: its two cylinders, its "
                     "quiet exhaust, its fuel that comes from used cooking oil collected at the "
                     "harbour's fish and chip shops, and the mechanic who spent the whole winter "
                     "fitting it, working nights, weekends and holidays to get the job done before "
                     "spring. The crew says it starts on the first try now, every morning.</div>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_TRUE(Has(r, "Between the pictures")) << r.text;
}

TEST(Extractor, WrapperOfTheBestBlockIsNeverSkipped) {
  // "content-sidebar-wrap" holds the article and a sidebar; its name is
  // negative, but it leads to the best block.
  std::string html =
      "<html><body><div class=\"site-inner\"><div class=\"content-sidebar-wrap\">"
      "<main class=\"content\"><article>" +
      std::string(kParagraphs) + std::string(kGermanParagraphs) +
      "</article></main><aside class=\"sidebar\"><p>Sidebar words about nothing at all.</p>"
      "</aside></div></div></body></html>";
  ExtractResult r = ExtractPage(html);
  EXPECT_TRUE(Has(r, "The little ferry")) << r.text;
  EXPECT_FALSE(r.used_fallback);
}

TEST(Extractor, LeadBeforeTheBodyInAWrapperOfItsOwn) {
  std::string html =
      "<html><body><div class=\"page\"><div class=\"top\"><div class=\"standfirst-wrap\">"
      "<p>The harbour ferry is back after a winter of repairs, and its horn is as loud as "
      "ever, to the delight of some.</p></div>"
      "</div><div class=\"main-col\"><div class=\"text\">" +
      std::string(kParagraphs) + std::string(kGermanParagraphs) +
      "</div></div></div></body></html>";
  ExtractResult r = ExtractPage(html);
  EXPECT_TRUE(Has(r, "The harbour ferry is back")) << r.text;
  EXPECT_LT(r.text.find("The harbour ferry is back"), r.text.find("The little ferry"));
}

TEST(Extractor, LongHeadingIsASubtitleWhateverFollows) {
  std::string body =
      "<h2>Nach dem langen Winter in der Werft ist die F\xc3\xa4hre zur\xc3\xbc" "ck, und mit "
      "ihr das laute Horn, das alle am Hafen kennen</h2><div class=\"share-bar\">Teilen</div>" +
      std::string(kParagraphs) +
      "<h3>Related</h3><ul><li><a href=\"/1\">Seagulls unionise</a></li>"
      "<li><a href=\"/2\">Pier repainted</a></li></ul>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_TRUE(Has(r, "Nach dem langen Winter in der Werft")) << r.text;
  EXPECT_FALSE(Has(r, "Related")) << r.text;
}

TEST(Extractor, HeadingOverAPictureIsKept) {
  std::string body = std::string(kParagraphs) +
                     "<h2>The new engine</h2><div class=\"img-wrap\"><img src=e.jpg></div>" +
                     std::string(kGermanParagraphs);
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_TRUE(Has(r, "The new engine")) << r.text;
}

TEST(Extractor, RatingsAuthorBoxesAndAffiliateNotesAreBoilerplate) {
  std::string body = std::string(kParagraphs) +
                     "<div class=\"post-ratings\">War der Artikel n\xc3\xbctzlich? Bewerten Sie "
                     "ihn mit einem Klick.</div>"
                     "<div class=\"affiliate-text\"><p>We earn money when you buy through the "
                     "links in this article, at no cost to you.</p></div>";
  ExtractResult r = ExtractPage(Page(body));
  EXPECT_FALSE(Has(r, "Bewerten Sie")) << r.text;
  EXPECT_FALSE(Has(r, "We earn money")) << r.text;
}

std::unique_ptr<Step> MakeStep(std::map<std::string, std::string> values = {}) {
  StepRegistry registry;
  RegisterHtmlSteps(&registry);
  const StepRegistry::Entry* entry = registry.Find("extract_html");
  EXPECT_NE(entry, nullptr);
  StepOptions options(std::move(values));
  Result<std::unique_ptr<Step>> step = entry->factory(options);
  EXPECT_TRUE(step.ok()) << step.status().ToString();
  return std::move(step).value();
}

TEST(ExtractHtmlStep, ReplacesHtmlWithTextAndAppendsMetadata) {
  auto step = MakeStep();
  Document doc;
  doc.id = "d1";
  doc.text = Page(kParagraphs);
  doc.format = TextFormat::kHtml;
  doc.metadata.push_back({"title", "\"from the crawl\""});
  Counters counters;
  StepResult r = step->Process(&doc, &counters);
  EXPECT_TRUE(r.keep);
  EXPECT_EQ(doc.format, TextFormat::kText);
  EXPECT_EQ(doc.text.find("<p>"), std::string::npos);
  EXPECT_NE(doc.text.find("The little ferry"), std::string::npos);
  ASSERT_NE(doc.FindMetadata("date"), nullptr);
  EXPECT_EQ(doc.FindMetadata("date")->raw, "\"2024-03-05T08:00:00Z\"");
  EXPECT_EQ(doc.FindMetadata("declared_language")->raw, "\"en-GB\"");
  EXPECT_EQ(doc.FindMetadata("canonical_url")->raw, "\"https://news.example/ferry\"");
  EXPECT_EQ(doc.FindMetadata("title")->raw, "\"from the crawl\"");  // not overwritten
}

TEST(ExtractHtmlStep, LeavesTextDocumentsAlone) {
  auto step = MakeStep();
  Document doc;
  doc.text = "<p>plain text that merely looks like markup</p>";
  Counters counters;
  EXPECT_TRUE(step->Process(&doc, &counters).keep);
  EXPECT_EQ(doc.text, "<p>plain text that merely looks like markup</p>");
}

TEST(ExtractHtmlStep, RemovesPageWithoutContent) {
  auto step = MakeStep();
  Document doc;
  doc.text = "<html><body><nav><a href=/>Home</a></nav></body></html>";
  doc.format = TextFormat::kHtml;
  Counters counters;
  StepResult r = step->Process(&doc, &counters);
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "no_content");
}

TEST(ExtractHtmlStep, RejectsUnknownFormat) {
  StepRegistry registry;
  RegisterHtmlSteps(&registry);
  StepOptions options(std::map<std::string, std::string>{{"format", "pdf"}});
  EXPECT_FALSE(registry.Find("extract_html")->factory(options).ok());
  StepOptions typo(std::map<std::string, std::string>{{"max_dept", "3"}});
  EXPECT_FALSE(registry.Find("extract_html")->factory(typo).ok());
}

TEST(ExtractHtmlStep, MarkdownOption) {
  auto step = MakeStep({{"format", "markdown"}});
  Document doc;
  doc.text = Page(std::string(kParagraphs) + "<h2>Fares</h2><p>Fares stay the same for now, the operator said today.</p>");
  doc.format = TextFormat::kHtml;
  Counters counters;
  ASSERT_TRUE(step->Process(&doc, &counters).keep);
  EXPECT_NE(doc.text.find("## Fares"), std::string::npos) << doc.text;
}

}  // namespace
}  // namespace winnow::html
