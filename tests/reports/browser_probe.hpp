// The C++ side of probe_page.mjs: runs it under node on a report file and
// reads back what Debian's chromium rendered for each CSS selector. Also
// says, before anything runs, which of chromium, node and playwright-core
// is missing and how to get it. It measures; it must never judge (the
// tests do) and never reach anything but the local file.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace firedrill::testing {

struct Box {  // CSS pixels, page coordinates
  double x = 0, y = 0, w = 0, h = 0;
  bool inside(const Box& outer) const;  // with half a pixel of rounding slack
  bool overlaps(const Box& other) const;
};

struct Rendered {
  bool visible = false;  // a non-empty box, not hidden by display, visibility or opacity
  Box box;
  std::string text;      // innerText (as shown) for HTML, textContent for SVG
};

struct PageProbe {
  std::string browser;                // chromium's version
  std::vector<std::string> requests;  // every URL the page asked for beyond its own file
  std::vector<std::string> errors;    // console errors, CSP violations included
  std::map<std::string, std::vector<Rendered>> found;
  const std::vector<Rendered>& operator[](const std::string& selector) const { return found.at(selector); }
};

// "" when the browser test can run here, else what is missing and the fix.
std::string missing_browser_tools();

// Opens `html` in headless chromium, measures each selector and saves a
// full-page screenshot and one of the first screen (1100×812). nullopt
// with `error` set when the browser could not be driven.
std::optional<PageProbe> probe_page(const std::string& html, const std::string& full_png, const std::string& top_png,
                                    const std::vector<std::string>& selectors, std::string& error);

}  // namespace firedrill::testing
