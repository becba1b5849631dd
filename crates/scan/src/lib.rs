//! Camera frames and image files to decoded QR codes (rqrr), with sources and debounce
