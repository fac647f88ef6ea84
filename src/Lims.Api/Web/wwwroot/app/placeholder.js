// A page whose capability has not landed yet: the shared frame and a note on what comes.
import { mountLayout } from './layout.js';

mountLayout(document.body.dataset.page);
