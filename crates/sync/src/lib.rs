//! Sync wire protocol shared by client and server, and the device's sync client
