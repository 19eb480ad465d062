/**
 * EJS templates handed to epub-gen-memory in place of its defaults. The defaults hard-code
 * `xml:lang="en"`, write "now" dates, random identifiers and an empty `dc:description`, and have no
 * accessibility metadata, no `dir` and no page progression; these take every value from the
 * options the EPUB writer passes (see `EpubTemplateData`), so the package document and every
 * content document carry the edition's language and direction.
 *
 * `<%= x %>` escapes for XML; `<%- x %>` is used only for chapter content, which epub-gen-memory
 * has already re-serialised as XHTML.
 */

/** A nav entry, nested by heading depth. */
export interface NavEntry {
  href: string;
  text: string;
  /** Language of the entry's text when it differs from the edition's (fallback labels). */
  lang?: string;
  children: NavEntry[];
}

/** The extra option keys the templates read (epub-gen-memory passes unknown options through). */
export interface EpubTemplateData {
  /** `urn:uuid:…`, derived from the content and the edition. */
  identifier: string;
  dir: "ltr" | "rtl";
  /** `dc:date` as written in the front matter (W3CDTF: `2019`, `2019-11`, `2019-11-05`). */
  pubDate: string;
  /** `dcterms:modified`, `CCYY-MM-DDThh:mm:ssZ`, from the publication's epoch. */
  modified: string;
  subjects: string[];
  accessibilitySummary: string;
  /** Language of the summary text when it is not the edition's language, else "". */
  summaryLang: string;
  toc: NavEntry[];
  tocTitle: string;
  /** Language of the nav title when it is an English fallback, else "". */
  tocTitleLang: string;
  /** Manifest id and file name of the one content document. */
  chapterHref: string;
  /** Fragment of the first heading, for the landmarks nav. */
  startFragment: string;
  /** The document's images, packaged by the EPUB writer under `images/`. */
  pictures: Array<{ href: string; mediaType: string }>;
  /** The edition's subset fonts, packaged by the EPUB writer under `fonts/`. */
  embeddedFonts: Array<{ filename: string; mediaType: string }>;
}

export const contentOPF = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="<%= lang %>" dir="<%= dir %>" prefix="ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="pub-id"><%= identifier %></dc:identifier>
    <dc:title id="title"><%= title %></dc:title>
    <dc:language><%= lang %></dc:language>
<% author.forEach(function (name, i) { -%>
    <dc:creator id="creator-<%= i + 1 %>"><%= name %></dc:creator>
<% }) -%>
<% if (description) { -%>
    <dc:description><%= description %></dc:description>
<% } -%>
<% subjects.forEach(function (subject) { -%>
    <dc:subject><%= subject %></dc:subject>
<% }) -%>
    <dc:date><%= pubDate %></dc:date>
    <meta property="dcterms:modified"><%= modified %></meta>
    <meta property="schema:accessMode">textual</meta>
<% if (pictures.length > 0) { -%>
    <meta property="schema:accessMode">visual</meta>
    <meta property="schema:accessibilityFeature">alternativeText</meta>
<% } -%>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityFeature">tableOfContents</meta>
    <meta property="schema:accessibilityFeature">readingOrder</meta>
    <meta property="schema:accessibilityFeature">displayTransformability</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary"<% if (summaryLang) { %> xml:lang="<%= summaryLang %>"<% } %>><%= accessibilitySummary %></meta>
    <meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>
    <meta property="a11y:certifiedBy">Letterpress</meta>
    <meta property="ibooks:specified-fonts">true</meta>
  </metadata>
  <manifest>
    <item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="css" href="style.css" media-type="text/css"/>
<% content.forEach(function (chapter) { -%>
    <item id="<%= chapter.id %>" href="<%= chapter.filename %>" media-type="application/xhtml+xml"/>
<% }) -%>
<% embeddedFonts.forEach(function (font, i) { -%>
    <item id="font-<%= i + 1 %>" href="fonts/<%= font.filename %>" media-type="<%= font.mediaType %>"/>
<% }) -%>
<% pictures.forEach(function (picture, i) { -%>
    <item id="image-<%= i + 1 %>" href="<%= picture.href %>" media-type="<%= picture.mediaType %>"/>
<% }) -%>
  </manifest>
  <spine page-progression-direction="<%= dir %>">
<% content.forEach(function (chapter) { -%>
    <itemref idref="<%= chapter.id %>"/>
<% }) -%>
  </spine>
</package>
`;

/** The start of every XHTML document: language, direction, title, stylesheet. */
const xhtmlHead = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="<%= lang %>" lang="<%= lang %>" dir="<%= dir %>">
<head>
  <meta charset="UTF-8"/>
  <title><%= title %></title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
`;

export const chapterXHTML = `${xhtmlHead}<body epub:type="bodymatter">
<%- content %>
</body>
</html>
`;

export const tocXHTML = `${xhtmlHead}<body>
<%
function list(entries) {
-%>
<ol>
<% entries.forEach(function (entry) { -%>
<li><a href="<%= entry.href %>"<% if (entry.lang) { %> xml:lang="<%= entry.lang %>" lang="<%= entry.lang %>"<% } %>><%= entry.text %></a><% if (entry.children.length) { %>
<% list(entry.children) %><% } %></li>
<% }) -%>
</ol>
<%
}
-%>
<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">
<h1 id="toc-title"<% if (tocTitleLang) { %> xml:lang="<%= tocTitleLang %>" lang="<%= tocTitleLang %>"<% } %>><%= tocTitle %></h1>
<% list(toc) -%>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden">
<ol>
<li><a epub:type="bodymatter" href="<%= chapterHref %>#<%= startFragment %>"><%= title %></a></li>
</ol>
</nav>
</body>
</html>
`;
