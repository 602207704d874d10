export { ZSessionViewSchema as ZMeOutputSchema } from './session-view.types.ts';
