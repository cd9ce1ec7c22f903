// A corpus of script-injection payloads, generated from families of attack shapes crossed
// with the contexts they try to break out of. Every payload, if it ever ran, would call
// __xss(n) with its own number, so a test can say exactly which one got through.

/** Attack shapes; `X` is replaced by the call that proves execution. */
const SHAPES = [
  // Script elements, in case and attribute variants.
  '<script>X</script>',
  '<ScRiPt>X</sCrIpT>',
  '<script type="text/javascript">X</script>',
  '<script src="data:text/javascript,X"></script>',
  '<script/x>X</script>',
  // Event handlers on ordinary and exotic elements.
  '<img src=x onerror=X>',
  '<IMG SRC=x OnErRoR="X">',
  '<img src="x" onerror="X"/>',
  '<body onload=X>',
  '<svg onload=X>',
  '<svg/onload=X>',
  '<details open ontoggle=X>',
  '<input autofocus onfocus=X>',
  '<video><source onerror=X></video>',
  '<audio src=x onerror=X>',
  '<marquee onstart=X>x</marquee>',
  '<div onmouseover=X>hover</div>',
  '<select autofocus onfocus=X>',
  '<textarea autofocus onfocus=X>',
  '<iframe onload=X></iframe>',
  // URL schemes.
  '<a href="javascript:X">link</a>',
  '<a href="JaVaScRiPt:X">link</a>',
  '<a href=" javascript:X">link</a>',
  '<a href="java&#x09;script:X">link</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:X">link</a>',
  '<a href="data:text/html,<script>X</script>">link</a>',
  '<iframe src="javascript:X"></iframe>',
  '<iframe srcdoc="<script>parent.X</script>"></iframe>',
  '<object data="javascript:X"></object>',
  '<embed src="javascript:X">',
  '<form action="javascript:X"><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:X">',
  '<base href="javascript:X//">',
  // SVG and MathML.
  '<svg><script>X</script></svg>',
  '<svg><a xlink:href="javascript:X"><text x=0 y=20>t</text></a></svg>',
  '<svg><animate onbegin=X attributeName=x dur=1s>',
  '<svg><set attributeName=onmouseover to=X>',
  '<math><mtext><table><mglyph><style><img src=x onerror=X></style></mglyph></table></mtext></math>',
  '<math href="javascript:X">m</math>',
  // Encoded and split forms that a decoder might turn back into markup.
  '&lt;script&gt;X&lt;/script&gt;',
  '&#60;img src=x onerror=X&#62;',
  '\\u003cscript\\u003eX\\u003c/script\\u003e',
  '%3Cscript%3EX%3C/script%3E',
  '<scr<script>ipt>X</scr</script>ipt>',
  '<<img src=x onerror=X>>',
  '<style>@import "javascript:X";</style>',
  '<template><img src=x onerror=X></template>',
  '<noscript><p title="</noscript><img src=x onerror=X>">',
  '<!--<img src="--><img src=x onerror=X//">',
  '<![CDATA[<img src=x onerror=X>]]>',
];

/** What a payload tries to close before its shape. */
const BREAKOUTS = ['', '">', "'>", '</title>', '</textarea>', '--></'];

/** [{ n, text }]: every shape after every breakout (300 payloads). */
export function payloads() {
  const out = [];
  for (const b of BREAKOUTS) {
    for (const s of SHAPES) {
      const n = out.length;
      out.push({ n, text: b + s.replaceAll('X', `__xss(${n})`) });
    }
  }
  return out;
}

/** Bare URLs that must never become links. */
export const BAD_URLS = [
  'javascript:__xss(9001)', 'JAVASCRIPT:__xss(9002)', ' javascript:__xss(9003)', 'data:text/html,<script>__xss(9004)</script>',
  'vbscript:__xss(9005)', 'jav&#x09;ascript:__xss(9006)', '//evil.example/x', 'file:///etc/passwd',
];
