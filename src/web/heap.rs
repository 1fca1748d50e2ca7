//! The wasm build's allocator: power-of-two size classes, each with a free list, carved
//! from `memory.grow` pages by a bump pointer. A fraction of dlmalloc's code (issue #10:
//! every byte of the module is paid on every cold load), and enough for this heap: it
//! holds one client, the last answer's text and short-lived buffers, and its loops
//! (refreshes, applies) ask for the same sizes again and again, which a freed block of the
//! same class answers. Blocks are never split or merged: a block is always its class's
//! size, so memory stays bounded by the largest live set per class, at most twice what is
//! asked for. Single-threaded (no wasm threads here), so a plain cell is enough.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr;

/// The smallest block, and the alignment every block has: 16 bytes.
const MIN_SHIFT: u32 = 4;
const MIN_ALIGN: usize = 1 << MIN_SHIFT;
/// Classes 16 B, 32 B, ... 2 GiB.
const CLASSES: usize = 28;
/// A wasm page.
const PAGE: usize = 65_536;

struct Heap {
    /// The first free block of each class; a free block's first word is the next one.
    free: [*mut u8; CLASSES],
    /// The bump region `next..end` not handed out yet.
    next: usize,
    end: usize,
}

/// The allocator (installed as the global allocator on wasm32).
pub struct Allocator(UnsafeCell<Heap>);

// SAFETY: wasm32 without the atomics feature has one thread; nothing is shared.
unsafe impl Sync for Allocator {}

impl Allocator {
    /// An allocator with no memory of its own yet (it grows the memory on first use).
    pub const fn new() -> Self {
        Self(UnsafeCell::new(Heap {
            free: [ptr::null_mut(); CLASSES],
            next: 0,
            end: 0,
        }))
    }
}

impl Default for Allocator {
    fn default() -> Self {
        Self::new()
    }
}

/// The class of a layout: blocks of `16 << class` bytes hold it.
fn class(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(MIN_ALIGN);
    let shift = usize::BITS - (size - 1).leading_zeros();
    let index = (shift - MIN_SHIFT) as usize;
    (index < CLASSES).then_some(index)
}

impl Heap {
    /// `size` fresh bytes aligned to `align` (a power of two, at least 16), growing the
    /// memory when the bump region is too small; null when the memory cannot grow.
    fn bump(&mut self, size: usize, align: usize) -> *mut u8 {
        let mut start = (self.next + align - 1) & !(align - 1);
        if start.checked_add(size).is_none_or(|stop| stop > self.end) {
            let pages = size.saturating_add(align).div_ceil(PAGE);
            let before = core::arch::wasm32::memory_grow(0, pages);
            if before == usize::MAX {
                return ptr::null_mut();
            }
            let base = before * PAGE;
            if base != self.end {
                // Someone else grew the memory in between: start over in the new pages.
                self.next = base;
            }
            self.end = base + pages * PAGE;
            start = (self.next + align - 1) & !(align - 1);
        }
        self.next = start + size;
        start as *mut u8
    }
}

// SAFETY: every block handed out is at least `layout.size()` bytes (its class's size),
// aligned to `layout.align()` (free-list blocks only serve alignments up to 16, which every
// block has; larger alignments come fresh from the bump region), and is handed out again
// only after `dealloc` put it back on its class's list.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(index) = class(layout) else {
            return ptr::null_mut();
        };
        // SAFETY: one thread, and no reentrancy (nothing here allocates).
        let heap = unsafe { &mut *self.0.get() };
        if layout.align() <= MIN_ALIGN {
            if let Some(head) = heap.free.get_mut(index) {
                let block = *head;
                if !block.is_null() {
                    // SAFETY: a free block holds the next free block in its first word.
                    *head = unsafe { block.cast::<*mut u8>().read() };
                    return block;
                }
            }
        }
        heap.bump(MIN_ALIGN << index, layout.align().max(MIN_ALIGN))
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let Some(index) = class(layout) else {
            return;
        };
        // SAFETY: one thread, and no reentrancy.
        let heap = unsafe { &mut *self.0.get() };
        if let Some(head) = heap.free.get_mut(index) {
            // SAFETY: `block` is ours, at least 16 bytes and 16-aligned, and no longer used.
            unsafe { block.cast::<*mut u8>().write(*head) };
            *head = block;
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size`, rounded up to `layout.align()`, fits.
        let grown = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if class(grown) == class(layout) {
            // The block already has its class's size.
            return block;
        }
        // SAFETY: as for `alloc`.
        let moved = unsafe { self.alloc(grown) };
        if !moved.is_null() {
            // SAFETY: both blocks hold at least the smaller size and do not overlap.
            unsafe {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        moved
    }
}
