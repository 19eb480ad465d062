/** "Did you mean …?": the closest of some known words to a misspelt one. */
import leven from "leven";

/** Levenshtein edit distance, case-insensitive (a swapped pair of letters is two edits). */
export function distance(a: string, b: string): number {
  return leven(a.toLowerCase(), b.toLowerCase());
}

/**
 * The candidate closest to `word`, if it is close enough to be what was meant: one edit for a word
 * of one or two letters, two (a swapped pair) up to eight letters, three beyond. Ties go to the
 * first candidate.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 2 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = distance(word, candidate);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean \`x\`?` or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>, format = (s: string) => `\`${s}\``): string {
  const match = closest(word, candidates);
  return match ? `; did you mean ${format(match)}?` : "";
}
