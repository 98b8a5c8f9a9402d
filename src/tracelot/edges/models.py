"""Genealogy edges: input lot → output lot, derived from consume/produce events (ledger.flows)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.lots.models import Lot
from tracelot.orders.models import WorkOrderStep
from tracelot.plants.models import Site


class Edge(models.Model):
    """`quantity` of `source` went into the step that made `target`.

    A projection of the ledger (rebuilt by `tracelot rebuild_genealogy`), so it may change.
    """

    site = models.ForeignKey(Site, on_delete=models.PROTECT, db_index=False, verbose_name=_("site"))
    # Covered by the unique link (source first) and the backward index (target first).
    source = models.ForeignKey(
        Lot, on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("input lot")
    )
    target = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
        verbose_name=_("output lot"),
    )
    step = models.ForeignKey(
        WorkOrderStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("work order step"),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)

    class Meta:
        verbose_name = _("genealogy edge")
        verbose_name_plural = _("genealogy edges")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "step"],
                name="genealogy_edge_link_unique",
            ),
            # A split or merge edge has no step, and NULLs never collide in a unique index.
            models.UniqueConstraint(
                fields=["source", "target"],
                condition=models.Q(step__isnull=True),
                name="genealogy_edge_link_outside_step_unique",
            ),
        ]
        # The trace engine walks both directions; each index covers one walk without
        # touching the table (forward: source → target, backward: target → source).
        indexes = [
            models.Index(fields=["target", "source"], name="genealogy_edge_backward_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id} ({self.quantity})"
