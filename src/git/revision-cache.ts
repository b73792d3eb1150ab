/**
 * What a revision resolved to in a mirror, remembered until a fetch of the
 * mirror moves a ref (the mirror cache tells). Between two fetches a
 * mirror's refs cannot move (nothing else writes them), so asking
 * `git cat-file` again only costs a process spawn:
 * about 20 ms idle, far more on a loaded machine, for every ApplicationSet
 * preview or reconcile that reads the repository.
 */

interface MirrorAnswers {
  /** Bumped by every fetch: an answer looked up before it must not be kept. */
  generation: number;
  readonly shas: Map<string, string>;
}

/** Revisions per mirror; each mirror keeps at most `maxPerMirror` answers. */
export class RevisionCache {
  private readonly mirrors = new Map<string, MirrorAnswers>();

  constructor(private readonly maxPerMirror = 1_000) {}

  /** The SHA `revision` resolved to since the last fetch of `mirror`, if known. */
  get(mirror: string, revision: string): string | undefined {
    return this.mirrors.get(mirror)?.shas.get(revision);
  }

  /** A token to pass to `set`: answers looked up across a fetch are dropped. */
  generation(mirror: string): number {
    return this.answers(mirror).generation;
  }

  /** Remembers an answer looked up at `generation`, unless a fetch happened since. */
  set(mirror: string, revision: string, sha: string, generation: number): void {
    const answers = this.answers(mirror);
    if (answers.generation !== generation) return;
    if (answers.shas.size >= this.maxPerMirror) answers.shas.clear();
    answers.shas.set(revision, sha);
  }

  /** Forgets every answer for `mirror`: its refs may have moved. */
  fetched(mirror: string): void {
    const answers = this.answers(mirror);
    answers.generation++;
    answers.shas.clear();
  }

  private answers(mirror: string): MirrorAnswers {
    let answers = this.mirrors.get(mirror);
    if (!answers) {
      answers = { generation: 0, shas: new Map() };
      this.mirrors.set(mirror, answers);
    }
    return answers;
  }
}
