"""Exercise illustrations drawn from pose data (see README.md in this folder).

pose file --load_pose--> Pose --build_scene--> 3D body + props --draw_poses--> Drawings
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .draw import PoseStyle, draw_poses
from .pose import Pose, Prop, load_pose, pose_from_data

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing


def pose_to_png(drawing: Drawing, path: Path, *, dpi: int = 150) -> None:
    """Write a drawing as a greyscale PNG (needs pypdfium2, an optional dependency)."""
    from .preview import pose_to_png as render  # imported late: pypdfium2 is optional

    render(drawing, path, dpi=dpi)


__all__ = ["Pose", "PoseStyle", "Prop", "draw_poses", "load_pose", "pose_from_data", "pose_to_png"]
