import { Selector, SelectorSyntaxError, parseSelector } from '../../labels/label-selector';
import { badRequest } from './pagination';

/** Parses a `?selector=` query parameter; a syntax error is a 400 naming the position. */
export function parseSelectorQuery(raw: unknown, field = 'selector'): Selector {
  if (raw === undefined) return [];
  if (typeof raw !== 'string') throw badRequest(field, 'type', 'must be given once, as a string');
  try {
    return parseSelector(raw);
  } catch (error) {
    if (error instanceof SelectorSyntaxError)
      throw badRequest(field, 'label-selector', error.message);
    throw error;
  }
}
