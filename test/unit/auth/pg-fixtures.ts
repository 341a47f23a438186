/**
 * Verifiers produced by PostgreSQL 15.18 (CREATE ROLE ... PASSWORD with password_encryption=scram-sha-256).
 * prepared: PostgreSQL hashed the SASLprep result; false: it hashed the raw bytes (SASLprep rejected the string).
 */
export const PG_VERIFIERS: readonly { label: string; password: string; verifier: string; prepared: boolean }[] = [
  {
    label: 'ascii',
    password: 'pencil',
    verifier: 'SCRAM-SHA-256$4096:i5g2g5iohMdd+emWoHgQNg==$tMMHL1sVCdFD9Tfe5KmCTaljnZ+g1c0M6e3mQSCr65k=:CZ/JitEc9BLULqHjAhw2Tkp4YPOT5RCe0h1tQ6q1tds=',
    prepared: true,
  },
  {
    label: 'softHyphen',
    password: 'I\u00ADX',
    verifier: 'SCRAM-SHA-256$4096:4yTRtLU91OJDgJtRYQphZA==$+7vEuSdGI3Rraie1i1/B+/MwyOqVa3OZBu6x9K0c7Oc=:OOHix0DK/zC9RT4+c7JgIafolYd0DterirfkH4tLTR8=',
    prepared: true,
  },
  {
    label: 'roman',
    password: '\u2168',
    verifier: 'SCRAM-SHA-256$4096:Q04FVeMSoGoDV9vQtQSUUA==$gYePxO/i0RiMvqCLouqv96FXI2ZJgB2O6MnGIAPg1s4=:85UtPnSBIzrts00iNhrp0iA1UrEeA04khgZbha/S50Q=',
    prepared: true,
  },
  {
    label: 'nbsp',
    password: 'a\u00A0b',
    verifier: 'SCRAM-SHA-256$4096:WRXdps0U584MRSUvKKABBg==$RQIRAdmAjWXnoIgDpOHYBVwYudnD1KKdcjrCoeB/wLw=:90T12iBVGGDkKh/xy+Ku38kMu5MS02TJDm2SHRB6JRs=',
    prepared: true,
  },
  {
    label: 'ligature',
    password: '\uFB01',
    verifier: 'SCRAM-SHA-256$4096:8XYlodnIJ7dUDAwRoGMOtw==$uJZv+t0MOhh0BU8tBTUDBlHOMqhdNEVxLKKCSGDk1Co=:OhaAtVA1wmaSXQFWxwwIHDhyC7+H/CTl/l7lXXasHG0=',
    prepared: true,
  },
  {
    label: 'combining',
    password: 'e\u0301',
    verifier: 'SCRAM-SHA-256$4096:GOvThY6KNDwBAvtFlbjtmQ==$jV9dc35KRlk8zdfFxgTUkOPE8EZT3XMVWRu+pTX1YEA=:iFp3NQvgDx7pwDQHu3Umk1b8as6gCO8Z4S+v+peyuEs=',
    prepared: true,
  },
  {
    label: 'privateUse',
    password: '\uFB01\uE000',
    verifier: 'SCRAM-SHA-256$4096:S/TsuKub2ttKTymT9CTGTA==$kMGXZq9/wsKoPzN/qzJ6GOelCkEerQGJjnGAJztCrMg=:XKL2BL9S/INa+s1fn2Oq+Qn7gwmIsOAQP+SMqBV6FHo=',
    prepared: false,
  },
  {
    label: 'bidiMixed',
    password: '\uFB01\u05D0',
    verifier: 'SCRAM-SHA-256$4096:zjDEWreBegFb3kHT3CppOw==$wLG1bfq3BfWpaQ+qJLrG9MXPEOTMtF2VuQLQ1poZGgA=:vQ5fFfRpuYWD0R8YGCfF6D+j+Rik4akaTT65LFpYDIg=',
    prepared: false,
  },
  {
    label: 'rtlOk',
    password: '\u05D0\uFB01\u05D1',
    verifier: 'SCRAM-SHA-256$4096:LhaI1FcJEyWEw8GQ58YsoQ==$MpqI3WniW9Q7CJt7u9HA5oTzWUe/04cEcG+0lUI9oQQ=:rHN20BCwk7VtwBAf49JjX7Hj/PgfAh8ZIXH2QPcoA/A=',
    prepared: false,
  },
  {
    label: 'emoji',
    password: '\uFB01\u{1F600}',
    verifier: 'SCRAM-SHA-256$4096:1/WMs+5qfrBQKpqIZ1x1aQ==$4J/LBdpHZEBEKUyKIuDBKhKc576MEx2DuKMo643MxZA=:17bggI1PekF4UYsj2rYcnecYODXyBy1Yjb0wglLTXSA=',
    prepared: false,
  },
  {
    label: 'asciiControl',
    password: 'a\u0009b\u0007',
    verifier: 'SCRAM-SHA-256$4096:8Yirf361FTR9kzm9ZL4RWA==$lks2/NkCO+2QOIvHiTijmVyq/KkMIilUviyunCi8Yno=:0p6RrGaSvtQIkLy5K+xQTOPceEKsgMEioiKe8qcGmW4=',
    prepared: true,
  },
  {
    label: 'onlyNothing',
    password: '\u00AD',
    verifier: 'SCRAM-SHA-256$4096:IhZ4IbIDBmh+74GYgd1YJA==$e8Fw++8Yyv7usFfTofqngc03VNNdE8VsSq8Qehn1Swg=:tvEheNpjKOLel3xBysSg3RN+Q7ObKFRlV+mziciQ6YE=',
    prepared: false,
  },
  {
    label: 'zeroWidth',
    password: 'x\u200By',
    verifier: 'SCRAM-SHA-256$4096:ky+89Km85efXBFab27y46Q==$P68C7YpbjecRtcsoW344qDx+JSlcsQ2u+V865BdEwIU=:lhpJhrD2EVFxJOxAGQ9KVpCooKYftRQ6wBWYvTsvITo=',
    prepared: true,
  },
  {
    label: 'fullwidth',
    password: '\uFF30\uFF41\uFF53\uFF53',
    verifier: 'SCRAM-SHA-256$4096:dhscuVKT5GyI9RxlDO+isg==$IoD5EK8IJqrOkyw6XbmUL6l1Ju6qk9oJYHHe+bG+I6M=:6S6eG5ZHvSfmejMIkFnQiD3SenMxH6UjANvqvxiJXKs=',
    prepared: true,
  },
  {
    label: 'unassigned32',
    password: '\uFB01\u0221',
    verifier: 'SCRAM-SHA-256$4096:2y/W01JCd6gZsBUJ4RL3SQ==$8+FnQIJWeGbtdA6+svOIy7PdJ7qndPQ0SjRciPmWFVk=:1+rSlfa8lmEslwviTjMY+nJREjeVYQbpm6WJGqJxVog=',
    prepared: false,
  },
  {
    label: 'arabicCompose',
    password: '\u0627\u0653',
    verifier: 'SCRAM-SHA-256$4096:zbkhsTAQqa6siV75hW0qHg==$JeQqhCa4tKFf5ZdoxQlv32A+wmTUsoWtneCz2TdncbM=:fIDSxaRsKtp1rx6ANsM02FAJITKoBGN34rbI6Ry3Ft8=',
    prepared: false,
  },
  {
    label: 'ligatureDigit',
    password: '\uFDFA1',
    verifier: 'SCRAM-SHA-256$4096:Z/ESVZ+OHkKMipXgcB2vNA==$rebZ8br8SRjJHh2qHQ/Ices5oLpG7MAXFl51/4n76iA=:wJT7T9l3YgIEpzWAyAzW6hWYFzY8VtCGCpOea9TR41k=',
    prepared: false,
  },
  {
    label: 'rtlNbsp',
    password: '\u05D0\u00A0\u05D1',
    verifier: 'SCRAM-SHA-256$4096:C7rjPGg14ta7jlcRjP0pAA==$mIEPK20VvujNBqe0ovBB7sWslNGs01NnSlVTAkH/ie4=:yKv7NuSdsGAOgDVw2RxMSmSLiVXlOVgjOWH2IR1JSf8=',
    prepared: true,
  },
  {
    label: 'rtlPresentation',
    password: '\u05D0\uFB2A',
    verifier: 'SCRAM-SHA-256$4096:c+WLK25d/j33RL2Bur4f2g==$vpSzNiKe7Q6n4GNmrbnhbXRYVod2JehH5sF4BeS2npY=:vnSvHQwKV1dQkR7pRkgVmbNtibMv1vciJL1hb3V06/w=',
    prepared: true,
  },
  {
    label: 'arabicNbsp',
    password: '\u0627\u00A0\u0628',
    verifier: 'SCRAM-SHA-256$4096:RsaZSVKiQDtx1QI20kCZ4A==$yi8ym6bepnJ02fAydGieN2HJRfKheWymbXJDoneL30A=:4qezYV533Wlc3w0fhQ/zlbCsj8JVV7CK220wPxpO+0Q=',
    prepared: true,
  },
  {
    label: 'rtlDigitEnd',
    password: '\u05D0\u00A01',
    verifier: 'SCRAM-SHA-256$4096:eOP8Ibyn0vkV6DKnJZf6sw==$ReCEQXCAULhNO0V2cMIxV6WQTpwH7EEf7ODrLiL7f0k=:D3yZxqRfVNIX1bOjaLGZyx5Id9EsSnd7suIPNep9Jbo=',
    prepared: false,
  },
  {
    label: 'nonAsciiTab',
    password: '\u00E9\u0009',
    verifier: 'SCRAM-SHA-256$4096:Kx1GBU2WztNrRoXr32503Q==$nnZ7zrzdTbRLtOi8j6j1XCDKeFM1/9I+48pE3miU5IM=:Now0iLeJdf01LvBSV8Z5ed1+ARhFjC7Q6a/bN3ieNq8=',
    prepared: false,
  },
  {
    label: 'ideographicSpace',
    password: 'pass\u3000word',
    verifier: 'SCRAM-SHA-256$4096:A7dHuGyB86ojlNVtvN5DhA==$IP5cbuJnIMAl1WMqnx7B63hW0mzL97nhvhs3TPh0Iw4=:BvwWntO8qj2CL3jfgs1VFJTK1qwwG9GIKk4KyrmjhFQ=',
    prepared: true,
  },
];
