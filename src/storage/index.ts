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
export { deleteRun, getRun, listRuns, saveCardSettings, saveRun } from './runs';
export { CHUNK_SIZE, appendRecord, countRecords, readRecords, updateRecordReview, type Chunk } from './records';
export { saveStage, readStage, countStage } from './stages';
export { lastChunkNo, rawChunkBatches, readRawChunkRange, readRawChunks, readRecordAt, readRecordRange, recordBatches, sampleSize, type RawChunk } from './dataset-read';
export { reviewMany, writeDataset } from './dataset-write';
