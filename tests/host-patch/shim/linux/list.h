/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: a circular doubly linked list with the kernel's
 * interface. list_del() poisons the entry so that a use after removal
 * crashes the test instead of passing silently.
 */
#ifndef SHIM_LINUX_LIST_H
#define SHIM_LINUX_LIST_H

#include <stddef.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
#define SHIM_LIST_POISON ((struct list_head *)0x100)

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void shim_list_link(struct list_head *e, struct list_head *prev,
				  struct list_head *next)
{
	e->prev = prev;
	e->next = next;
	prev->next = e;
	next->prev = e;
}

static inline void shim_list_unlink(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static inline void list_add_tail(struct list_head *e, struct list_head *h)
{
	shim_list_link(e, h->prev, h);
}

static inline void list_del(struct list_head *e)
{
	shim_list_unlink(e);
	e->next = SHIM_LIST_POISON;
	e->prev = SHIM_LIST_POISON;
}

static inline void list_move_tail(struct list_head *e, struct list_head *h)
{
	shim_list_unlink(e);
	list_add_tail(e, h);
}

static inline int list_empty(const struct list_head *h)
{
	return h->next == h;
}

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)

/*
 * The cursor reaches the head's container_of(), which is no object: step
 * through it with char arithmetic only, never a member access, so that
 * UBSan's alignment check does not flag the end of every loop.
 */
#define shim_list_node(pos, member)					\
	((struct list_head *)((char *)(pos) +				\
			      offsetof(__typeof__(*(pos)), member)))

#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);	\
	     shim_list_node(pos, member) != (head);			\
	     pos = list_entry(shim_list_node(pos, member)->next,		\
			      __typeof__(*pos), member))

#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),	\
	     n = list_entry(shim_list_node(pos, member)->next,		\
			    __typeof__(*pos), member);			\
	     shim_list_node(pos, member) != (head);			\
	     pos = n, n = list_entry(shim_list_node(n, member)->next,	\
				     __typeof__(*n), member))

#endif
