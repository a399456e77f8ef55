// `agree render -o FILE`: the format follows the extension unless --format
// names one, a mismatch is an error, an existing file is replaced only with
// --force, and the file gets the mode of a trace (0666 less the umask).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <string>

#include "run_binary.hpp"

namespace {

const std::string kTrace = std::string(AGREE_SOURCE_DIR) + "/docs/walkthroughs/isis-open-group-no-tiebreak.trace";

struct Run {
  int code;
  std::string out, err;
};

Run render(const runbin::TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> all{"render", kTrace};
  all.insert(all.end(), args.begin(), args.end());
  runbin::Child c(dir, all);
  const int code = c.wait();
  return {code, c.out(), c.err()};
}

}  // namespace

TEST_CASE("render -o: the extension chooses the format", "[render][files]") {
  runbin::TempDir dir;
  CHECK(render(dir, {"-o", "chart.svg"}).code == 0);
  CHECK(runbin::slurp(dir / "chart.svg").find("<svg xmlns") != std::string::npos);
  CHECK(render(dir, {"-o", "chart.html"}).code == 0);
  CHECK(runbin::slurp(dir / "chart.html").rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(render(dir, {"-o", "chart.mmd"}).code == 0);
  CHECK(runbin::slurp(dir / "chart.mmd").rfind("sequenceDiagram", 0) == 0);
  CHECK(render(dir, {"-o", "chart.txt"}).code == 0);
  CHECK(runbin::slurp(dir / "chart.txt").find("total-order is violated after step 12") != std::string::npos);
  CHECK(render(dir, {"--format", "text", "-o", "chart.log"}).code == 0);  // no format in the name: --format decides
}

TEST_CASE("render -o: a name that asks for another format, or for none, is refused", "[render][files][bad-input]") {
  runbin::TempDir dir;
  auto r = render(dir, {"-o", "isis.png"});
  CHECK(r.code == 2);
  CHECK(r.err == "agree: error: -o isis.png: '.png' is not a format agree writes (.txt, .mmd, .svg, .html, .json, .itf.json); "
                 "name one with --format\n");
  CHECK_FALSE(std::filesystem::exists(dir / "isis.png"));
  r = render(dir, {"--format", "svg", "-o", "isis.html"});
  CHECK(r.code == 2);
  CHECK(r.err == "agree: error: -o isis.html names html, --format says svg: make them agree\n");
  CHECK_FALSE(std::filesystem::exists(dir / "isis.html"));
  r = render(dir, {"-o", "chart"});
  CHECK(r.code == 2);
  CHECK(r.err.find("no extension") != std::string::npos);
}

TEST_CASE("render -o: an existing file is replaced only with --force", "[render][files][bad-input]") {
  runbin::TempDir dir;
  runbin::spit(dir / "chart.svg", "keep me\n");
  const auto r = render(dir, {"-o", "chart.svg"});
  CHECK(r.code == 2);
  CHECK(r.err == "agree: error: chart.svg exists; render replaces a file only with --force\n");
  CHECK(runbin::slurp(dir / "chart.svg") == "keep me\n");
  CHECK(render(dir, {"-o", "chart.svg", "--force"}).code == 0);
  CHECK(runbin::slurp(dir / "chart.svg").find("<svg xmlns") != std::string::npos);
}

TEST_CASE("render -o: the file gets 0666 less the umask, like a trace", "[render][files]") {
  runbin::TempDir dir;
  const mode_t old = ::umask(022);  // the child inherits it
  const auto r = render(dir, {"-o", "chart.svg"});
  ::umask(old);
  REQUIRE(r.code == 0);
  struct stat st {};
  REQUIRE(::stat((dir / "chart.svg").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
}
