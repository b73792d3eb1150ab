/** The PostgreSQL URL the application runs on (embedded or DATABASE_URL), for code that needs its own connection. */
export const DATABASE_URL = Symbol('DATABASE_URL');
