/** Tollgate's mark: a gate arch, drawn inline (no icon font, no CDN). */
export function BrandMark() {
  return (
    <svg
      className="brand-mark"
      viewBox="0 0 24 24"
      width="22"
      height="22"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M3 6h18M5 3.5h14M6 6v15M18 6v15M6 11h12"
        stroke="currentColor"
        strokeWidth="2.2"
        fill="none"
        strokeLinecap="round"
      />
    </svg>
  );
}
