/** Public storage API: everything the window and the worker need to persist data. */
export { getStore, resetStoreForTests, setStoreForTests } from './store';
export { StorageFullError, isQuotaError } from './errors';
export { requestPersistence, storageEstimate } from './persist';
export { restoreConstitution, restorePromptSet, restoreRecord, restoreRun } from '../core/schema/restore';
export {
  deleteConstitution,
  deletePromptSet,
  getConstitution,
  getPromptSet,
  listConstitutions,
  listPromptSets,
  saveConstitution,
  savePromptSet,
} from './library';
export { deleteRun, getRun, listRuns, renameRun, saveCardSettings, saveRun, setRecordCount } from './runs';
export { CHUNK_SIZE, appendRecord, appendRecords, countRecords, readRecords, storedIndexes, updateRecordReview, type Chunk } from './records';
export { saveStage, readStage, countStage } from './stages';
export { checkedRecords, describeLoss, lastChunkNo, rawChunkBatches, rawChunkSlices, type Loss, readRawChunkRange, readRawChunks, readRecordAt, readRecordRange, recordBatches, sampleSize, type RawChunk } from './dataset-read';
export { reviewMany, writeDataset } from './dataset-write';
export { deleteDamaged, listDamaged, rawJson, type DamagedItem, type DamagedKind } from './damaged';
export { sweepOrphans, whileWriting } from './sweep';
