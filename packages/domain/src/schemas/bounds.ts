/**
 * The largest value a PostgreSQL `integer` column holds (2^31 − 1). Every integer input stored in such a
 * column (or compared with one) is bounded by it in its schema, so that a larger number is VALIDATION_FAILED
 * naming the field, and the OpenAPI document states the bound as its `maximum`, instead of a 500 from the
 * database ("out of range for type integer").
 */
export const MAX_INTEGER_COLUMN = 2_147_483_647;
