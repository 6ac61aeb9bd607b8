// Package home is `jcconnect` with no command (the wizard when nothing is stored, else the home
// screen: status, browse, export, rotate, disconnect), the export screen it pushes (folder,
// progress by pages, the bundle's absolute path and completeness, o to open it), and the
// day-two commands it offers: `status`, `logout` and `doctor`.
package home
