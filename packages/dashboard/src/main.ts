// Browser entry of the dashboard bundle.
import './ui/components/ww-app.ts';
