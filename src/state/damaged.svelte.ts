/** Damaged stored items of some kinds, listed with what is wrong; each can be saved as raw JSON or deleted. */
import { toUserError, type UserError } from '../core/errors';
import { downloadBlob } from '../datasets/save-file';
import { deleteDamaged, listDamaged, rawJson, type DamagedItem, type DamagedKind } from '../storage';

export class DamagedState {
  items = $state.raw<DamagedItem[]>([]);
  error = $state<UserError | null>(null);

  /** `list` finds them: the library's are looked for in the worker, which can read a huge set whole. */
  constructor(
    private readonly kinds: readonly DamagedKind[],
    private readonly onDeleted: () => void = () => undefined,
    private readonly list: (kinds: readonly DamagedKind[]) => Promise<DamagedItem[]> = listDamaged,
  ) {}

  async refresh(): Promise<void> {
    try {
      this.items = await this.list(this.kinds);
    } catch (error) {
      this.error = toUserError(error);
    }
  }

  exportRaw(item: DamagedItem): void {
    downloadBlob(`damaged-${item.kind}-${item.id.replace(/[^\w.-]+/g, '_')}.json`, new Blob([rawJson(item)], { type: 'application/json' }));
  }

  async remove(item: DamagedItem): Promise<void> {
    this.error = null;
    try {
      await deleteDamaged(item);
      await this.refresh();
      this.onDeleted();
    } catch (error) {
      this.error = toUserError(error);
    }
  }
}
