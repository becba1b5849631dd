import './style.css';
import { startPanel } from './panel';

startPanel(document);
