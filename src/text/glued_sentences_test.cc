#include "text/glued_sentences.h"

#include <gtest/gtest.h>

#include <string>

namespace winnow::text {
namespace {

std::string Split(std::string_view in, int64_t* count = nullptr) {
  std::string out;
  int64_t n = SplitGluedSentences(in, &out);
  if (count) *count = n;
  return n > 0 ? out : std::string(in);
}

void ExpectUnchanged(std::string_view text) {
  std::string out;
  EXPECT_EQ(SplitGluedSentences(text, &out), 0) << text;
}

TEST(GluedSentences, InsertsSpaceAfterPeriodBeforeCapitalizedWord) {
  int64_t n = 0;
  EXPECT_EQ(Split("the crowd left the square.Later that day it rained.", &n),
            "the crowd left the square. Later that day it rained.");
  EXPECT_EQ(n, 1);
}

TEST(GluedSentences, HandlesQuestionAndExclamationMarks) {
  EXPECT_EQ(Split("Why wait?Start now!Then rest."), "Why wait? Start now! Then rest.");
}

TEST(GluedSentences, HandlesClosingQuotesAndBrackets) {
  EXPECT_EQ(Split("she said \xE2\x80\x9Cno.\xE2\x80\x9DThen she left."),
            "she said \xE2\x80\x9Cno.\xE2\x80\x9D Then she left.");
  EXPECT_EQ(Split("(as planned).Next we ate."), "(as planned). Next we ate.");
}

TEST(GluedSentences, HandlesSingleLetterWordsIAndA) {
  EXPECT_EQ(Split("we waited.I left early."), "we waited. I left early.");
  EXPECT_EQ(Split("it ended.A new day began."), "it ended. A new day began.");
}

TEST(GluedSentences, HandlesNonLatinScripts) {
  EXPECT_EQ(Split("\xD0\xB2 \xD0\xB3\xD0\xBE\xD1\x80\xD0\xBE\xD0\xB4\xD0\xB5."
                  "\xD0\x9E\xD0\xBD \xD1\x83\xD1\x88\xD1\x91\xD0\xBB"),
            "\xD0\xB2 \xD0\xB3\xD0\xBE\xD1\x80\xD0\xBE\xD0\xB4\xD0\xB5. "
            "\xD0\x9E\xD0\xBD \xD1\x83\xD1\x88\xD1\x91\xD0\xBB");
}

TEST(GluedSentences, KeepsAbbreviationsAndInitials) {
  ExpectUnchanged("Made in the U.S.A. by hand.");
  ExpectUnchanged("Tools, e.g.Hammers, were sold.");
  ExpectUnchanged("That is, i.e.The same thing.");
  ExpectUnchanged("Written by J.R.R.Tolkien long ago.");
  ExpectUnchanged("Troops left the U.S.In the spring they returned.");
  ExpectUnchanged("The meeting at 5 p.m.Then dinner.");
}

TEST(GluedSentences, KeepsNumbersVersionsDomainsAndFiles) {
  ExpectUnchanged("Pi is 3.14 and e is 2.71.");
  ExpectUnchanged("Upgrade to v1.2.3 today.");
  ExpectUnchanged("Visit example.com or www.site.org/path now.");
  ExpectUnchanged("Open file.txt and notes.md first.");
  ExpectUnchanged("See https://news.example.org/World/Europe for more.");
  ExpectUnchanged("Mail jane.Doe@example.com today.");
}

TEST(GluedSentences, KeepsEllipsesAndCamelCaseNames) {
  ExpectUnchanged("Wait...Then it happened.");
  ExpectUnchanged("He bought an iPhone on eBay.");
  ExpectUnchanged("Built with.NET and ASP.NET Core.");
  ExpectUnchanged("Call System.Console.WriteLine(x) here.");
  ExpectUnchanged("Use Console.WriteLine to print.");
  ExpectUnchanged("Plans for the NATO.Summit stayed secret.");
}

TEST(GluedSentences, KeepsAcronymsAfterTheDot) {
  ExpectUnchanged("Stocks fell.NYSE traders were calm.");
}

TEST(GluedSentences, SplitsBeforeCamelCaseWordWithCapital) {
  EXPECT_EQ(Split("lunch was late.McDonald opened at noon."),
            "lunch was late. McDonald opened at noon.");
}

TEST(GluedSentences, LeavesNormalTextAlone) {
  ExpectUnchanged("One sentence. Another one! A third? Yes.\nNew line.");
  ExpectUnchanged("");
  ExpectUnchanged(".");
}

}  // namespace
}  // namespace winnow::text
