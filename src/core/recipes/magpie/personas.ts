/**
 * Built-in personas for steering Magpie samples: who the user is, in a phrase. Written for this
 * project, kept short (each is prefilled with every sample) and varied in age, work and need.
 */
export const BUILTIN_PERSONAS: readonly string[] = [
  'a nurse working night shifts who wants quick, practical answers',
  'a secondary-school student revising for a chemistry exam',
  'a retired carpenter learning to use a smartphone',
  'a small-bakery owner trying to price a new product',
  'a software developer debugging a slow database query',
  'a parent planning meals for a child with a nut allergy',
  'a first-year law student unsure about a contract question',
  'an amateur astronomer choosing a first telescope',
  'a job seeker rewriting a cover letter',
  'a hobby gardener whose tomato plants are wilting',
  'a traveller preparing for a first trip abroad alone',
  'a volunteer organising a neighbourhood clean-up',
];

/** Built-in topics offered in the form (any can be typed instead). */
export const BUILTIN_TOPICS: readonly string[] = [
  'cooking', 'personal finance', 'health and fitness', 'programming', 'history', 'travel', 'writing', 'science', 'law', 'gardening',
];

/**
 * The system text a sample is steered with. The model writes the *user's* turn next, so the text
 * speaks of the user: who they are and what they want help with.
 */
export function steeringText(system: string, persona: string | undefined, topic: string | undefined): string {
  const parts = [system.trim()];
  if (persona) parts.push(`The user you are talking with is ${persona.trim()}.`);
  if (topic) parts.push(`The user wants help with something about ${topic.trim()}.`);
  return parts.filter(Boolean).join('\n');
}
