//! The pure core: everything that decides, nothing that touches the browser.
