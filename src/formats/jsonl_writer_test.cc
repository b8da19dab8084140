#include "formats/jsonl_writer.h"

#include <gtest/gtest.h>

namespace winnow {
namespace {

TEST(JsonlWriter, WritesIdTextAndRawMetadataInOrder) {
  Document d;
  d.id = "x\"1";
  d.text = "line\nnext";
  d.metadata = {{"b", "[1, 2]"}, {"a", "\"s\""}, {"empty", ""}};
  std::string out;
  AppendDocumentJson(d, &out);
  EXPECT_EQ(out,
            "{\"id\":\"x\\\"1\",\"text\":\"line\\nnext\",\"metadata\":"
            "{\"b\":[1, 2],\"a\":\"s\",\"empty\":null}}\n");
}

TEST(JsonlWriter, WritesWinnowFieldsAndReplacesAnInputWinnowField) {
  Document d;
  d.id = "i";
  d.text = "t";
  d.metadata = {{"winnow", "{\"old\":1}"}, {"k", "1"}};
  d.removed_by = "dedup";
  d.reason = "exact_duplicate";
  d.details = "{\"of\":\"j\"}";
  d.annotations = {{"language", "\"en\""}};
  d.signals = {{"gopher", "{\"w\":3}"}, {"c4", "{}"}};
  std::string out;
  AppendDocumentJson(d, &out);
  EXPECT_EQ(out,
            "{\"id\":\"i\",\"text\":\"t\",\"metadata\":{\"k\":1,\"winnow\":{"
            "\"removed_by\":\"dedup\",\"reason\":\"exact_duplicate\","
            "\"details\":{\"of\":\"j\"},\"language\":\"en\",\"signals\":{"
            "\"gopher\":{\"w\":3},\"c4\":{}}}}}\n");
}

TEST(JsonlWriter, KeepsInputWinnowFieldWhenThereIsNothingToAdd) {
  Document d;
  d.metadata = {{"winnow", "{\"old\":1}"}};
  std::string out;
  AppendDocumentJson(d, &out);
  EXPECT_EQ(out,
            "{\"id\":\"\",\"text\":\"\",\"metadata\":{\"winnow\":{\"old\":1}}}\n");
}

TEST(JsonlWriter, WritesRejectionWithRepairedStrings) {
  Rejection r;
  r.file = "dir/f\xFF.jsonl";
  r.offset = 123;
  r.reason = "invalid_json";
  r.error = "bad";
  r.excerpt = "{\"a\"";
  std::string out;
  AppendRejectionJson(r, &out);
  EXPECT_EQ(out,
            "{\"file\":\"dir/f\xEF\xBF\xBD.jsonl\",\"offset\":123,\"reason\":"
            "\"invalid_json\",\"error\":\"bad\",\"excerpt\":\"{\\\"a\\\"\"}\n");
}

}  // namespace
}  // namespace winnow
